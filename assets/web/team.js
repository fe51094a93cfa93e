// The team page: joins a seat with its code, keeps a WebSocket to the game, shows the team's view
// and sends its decisions (docs/protocol.md). No build step, no libraries.
"use strict";

const TOKEN_KEY = "chokepoint-token";
let token = localStorage.getItem(TOKEN_KEY) || "";
let socket = null;
let view = null;          // the last view the game sent
let draft = [];           // [{command, text}] the decisions being prepared
let draftTurn = -1;       // the turn the draft is for
let retry = 1000;         // reconnect delay, ms
let clockEnd = 0;         // performance.now() when the negotiation clock runs out (0: none)

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};
const fmt = (x, digits = 0) => (x === null || x === undefined ? "–" : Number(x).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }));

// ---- Joining ---------------------------------------------------------------------------

function showJoin(message) {
  $("join").hidden = false;
  $("game").hidden = true;
  $("join-error").textContent = message || "";
  const code = new URLSearchParams(location.search).get("code");
  if (code && !$("code").value) $("code").value = code;
  $("code").focus();
}

async function join(code) {
  const res = await fetch("/api/join", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return showJoin(body.message || `refused (${res.status})`);
  token = body.token;
  localStorage.setItem(TOKEN_KEY, token);
  history.replaceState(null, "", "/");
  connect();
}

$("join-form").addEventListener("submit", (e) => {
  e.preventDefault();
  join($("code").value.trim());
});

$("leave").addEventListener("click", (e) => {
  e.preventDefault();
  localStorage.removeItem(TOKEN_KEY);
  token = "";
  if (socket) socket.close();
  showJoin("");
});

// ---- The connection --------------------------------------------------------------------

function connect() {
  if (!token) return showJoin("");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
  socket.onopen = () => { retry = 1000; setLink(true); };
  socket.onmessage = (e) => receive(JSON.parse(e.data));
  socket.onclose = async () => {
    setLink(false);
    if (!token) return;
    // A refused token (kicked, or a server restarted) goes back to the code; else try again.
    const check = await fetch("/api/view", { headers: { Authorization: `Bearer ${token}` } }).catch(() => null);
    if (check && check.status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      token = "";
      return showJoin("Join again with your seat's code.");
    }
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10000);
  };
}

function setLink(online) {
  $("link").textContent = online ? "connected" : "reconnecting…";
  $("link").className = online ? "link online" : "link";
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  else $("send-error").textContent = "Not connected: your decisions are kept here until the connection is back.";
}

function receive(m) {
  if (m.type === "view") return render(m);
  if (m.type === "error") { $("send-error").textContent = m.message; return; }
  if (m.type === "ack") {
    $("send-error").textContent = "";
    return;
  }
  if (m.type === "kicked") {
    localStorage.removeItem(TOKEN_KEY);
    token = "";
    showJoin(m.message);
  }
}

// ---- The view --------------------------------------------------------------------------

const PHASES = {
  deciding: "Your decisions are wanted: prepare them below, then End turn.",
  sent: "Your decisions are in. The other teams are deciding.",
  talking: "Your turn to speak in the negotiation: proposals and answers, then Send or Done talking.",
  talks: "Another team is speaking in the negotiation.",
  computing: "The game is playing the turn.",
  paused: "The facilitator has paused the game.",
  finished: "The game is over.",
  advisor: "Your country is played by its advisor for now.",
};

function render(v) {
  view = v;
  $("join").hidden = true;
  $("game").hidden = false;
  const phase = v.seat.phase;
  const turnOpen = phase === "deciding" ? v.seat.deciding_turn : -1;
  if (turnOpen >= 0 && draftTurn !== turnOpen) { draft = []; draftTurn = turnOpen; }
  $("turn").textContent = `${v.seat.name} · turn ${v.game.turn + 1} of ${v.game.turn_limit} · ${v.game.date}`;
  $("phase").textContent = phase;
  $("phase").className = `phase ${phase}`;
  $("phase-text").textContent = PHASES[phase] || "";
  $("seat-id").textContent = v.seat.id;
  clockEnd = v.clock && !v.clock.paused ? performance.now() + v.clock.seconds_left * 1000 : 0;
  $("clock").textContent = v.clock ? v.clock.text + (v.clock.paused ? " (paused)" : "") : "";
  renderHeadlines(v);
  renderButtons(phase);
  renderDraft();
  renderAdvice(v);
  renderCountry(v);
  renderPrices(v);
  renderInstrumentChoices(v);
  renderLicences(v);
  renderProposals(v);
  renderProposalChoices(v);
  renderMap(v);
  renderLeverage(v);
  renderCountries(v);
  renderEvents(v);
}

function renderHeadlines(v) {
  const box = $("headlines");
  box.replaceChildren(...v.headlines.map((h) => el("p", {}, h)));
  box.hidden = v.headlines.length === 0;
}

function renderButtons(phase) {
  $("end-turn").hidden = phase === "talking" || phase === "talks";
  $("end-turn").disabled = phase !== "deciding";
  $("say").hidden = $("done-talking").hidden = phase !== "talking";
}

function renderDraft() {
  $("draft").replaceChildren(...draft.map((d, i) =>
    el("li", {}, d.text, " ", el("button", { class: "small", onclick: () => { draft.splice(i, 1); renderDraft(); } }, "remove"))));
  $("draft-count").textContent = draft.length ? `(${draft.length})` : "(none yet)";
}

function addToDraft(command, text) {
  draft.push({ command, text });
  renderDraft();
}

function renderAdvice(v) {
  const advice = v.advice || [];
  $("advice").replaceChildren(...advice.map((a) =>
    el("li", {}, a.text, " ", el("button", { class: "small", onclick: () => addToDraft(a.command, a.text) }, "adopt"))));
  if (!advice.length) $("advice").replaceChildren(el("li", { class: "muted" }, v.seat.phase === "deciding" ? "The advisor's suggestions come when the game reaches your seat." : "None now."));
  $("adopt-all").disabled = !advice.length;
}
$("adopt-all").addEventListener("click", () => (view.advice || []).forEach((a) => addToDraft(a.command, a.text)));

function renderCountry(v) {
  const c = v.country;
  $("country-name").textContent = c.name;
  const parts = [];
  if (c.treasury_musd !== undefined) parts.push(`Treasury $${fmt(c.treasury_musd, 0)}M`);
  if (c.score) parts.push(`score ${fmt(c.score.total, 2)} (rank ${c.score_rank})`);
  if (c.leverage_index !== undefined) parts.push(`leverage index ${fmt(c.leverage_index, 3)}`);
  $("country-summary").textContent = parts.join(" · ");
  const head = el("tr", {}, el("th", {}, "Good"), el("th", { class: "num" }, "Stock t"), el("th", { class: "num" }, "Stockpile t"), el("th", { class: "num" }, "Cover, months"));
  $("stocks").replaceChildren(head, ...c.stocks.map((s) => el("tr", {},
    el("td", {}, s.good), el("td", { class: "num" }, fmt(s.stock_t)), el("td", { class: "num" }, fmt(s.stockpile_t)),
    el("td", { class: s.months_of_cover < s.usual_months / 2 ? "num low" : "num" }, fmt(s.months_of_cover, 1)))));
}

function renderPrices(v) {
  const head = el("tr", {}, el("th", {}, "Good"), el("th", { class: "num" }, "USD/kg"), el("th", {}, "Main exporter's restriction"));
  $("prices").replaceChildren(head, ...v.prices.map((p) => el("tr", {},
    el("td", {}, p.name), el("td", { class: "num" }, fmt(p.usd_per_kg, 1)), el("td", {}, p.restriction || (p.main_exporter ? "open" : "")))));
}

function renderInstrumentChoices(v) {
  const goods = $("ins-good"), dest = $("ins-dest");
  if (goods.options.length !== v.goods.length) {
    goods.replaceChildren(...v.goods.map((g, i) => el("option", { value: i }, g.name)));
    dest.replaceChildren(el("option", { value: -1 }, "every country"),
      ...v.countries.map((c, i) => (c.id === v.seat.id ? null : el("option", { value: i }, c.name))).filter(Boolean));
  }
  updateInstrumentFields();
}

function updateInstrumentFields() {
  const kind = $("ins-kind").value;
  $("ins-dest-label").hidden = kind !== "set_export_regime";
  $("ins-regime-label").hidden = kind !== "set_export_regime";
  $("ins-amount-label").hidden = kind === "set_export_regime";
  $("ins-price-label").hidden = kind !== "stockpile_buy" && kind !== "stockpile_release";
  $("ins-amount-label").firstChild.textContent = kind === "set_export_quota" ? "Tonnes a year " : "Tonnes ";
}
$("ins-kind").addEventListener("change", updateInstrumentFields);

$("instrument").addEventListener("submit", (e) => {
  e.preventDefault();
  const kind = $("ins-kind").value;
  const good = Number($("ins-good").value), goodName = view.goods[good].name;
  const tonnes = Number($("ins-amount").value), perKg = Number($("ins-price").value);
  if (kind === "stockpile_buy") addToDraft({ command: kind, good, tonnes, max_price: perKg * 1000 }, `buy ${fmt(tonnes)} t of ${goodName} for the stockpile at up to $${fmt(perKg, 1)}/kg`);
  if (kind === "stockpile_release") addToDraft({ command: kind, good, tonnes, min_price: perKg * 1000 }, `release ${fmt(tonnes)} t of ${goodName} from the stockpile at $${fmt(perKg, 1)}/kg or more`);
  if (kind === "set_export_quota") addToDraft({ command: kind, good, tonnes_per_year: tonnes }, `export quota on ${goodName}: ${fmt(tonnes)} t a year`);
  if (kind === "set_export_regime") {
    const destination = Number($("ins-dest").value), regime = Number($("ins-regime").value);
    const to = destination < 0 ? "every country" : view.countries[destination].name;
    addToDraft({ command: kind, good, destination, regime }, `exports of ${goodName} to ${to}: ${["open", "licensed", "embargo"][regime]}`);
  }
});

// ---- Proposals and counters -------------------------------------------------------------

let counterTo = null;  // the proposal being countered (null: a new proposal)

function renderProposalChoices(v) {
  const to = $("pr-to"), good = $("pr-good");
  if (to.options.length !== v.countries.length - 1) {
    to.replaceChildren(...v.countries.map((c, i) => (c.id === v.seat.id ? null : el("option", { value: i }, c.name))).filter(Boolean));
    good.replaceChildren(...v.goods.map((g, i) => el("option", { value: i }, g.name)));
  }
  updateProposalFields();
}

function updateProposalFields() {
  const kind = $("pr-kind").value;
  const goods = kind !== "pay_out" && kind !== "pay_in";
  $("pr-good-label").hidden = !goods;
  $("pr-tonnes-label").hidden = !(kind === "supply_in" || kind === "supply_out" || kind === "license");
  $("pr-price-label").hidden = !(kind === "supply_in" || kind === "supply_out");
  $("pr-usd-label").hidden = goods;
}
$("pr-kind").addEventListener("change", updateProposalFields);

function startCounter(p) {
  counterTo = p;
  const from = view.countries.findIndex((c) => c.id === p.from);
  $("pr-to").value = from;
  $("pr-to").disabled = true;
  $("propose-title").textContent = `Counter proposal #${p.id} from ${p.from}`;
  $("pr-turns").value = p.turns;
  $("pr-cancel").hidden = false;
  $("propose-card").scrollIntoView({ behavior: "smooth" });
}

function endCounter() {
  counterTo = null;
  $("pr-to").disabled = false;
  $("propose-title").textContent = "New proposal";
  $("pr-cancel").hidden = true;
}
$("pr-cancel").addEventListener("click", endCounter);

$("propose").addEventListener("submit", (e) => {
  e.preventDefault();
  const me = view.countries.findIndex((c) => c.id === view.seat.id);
  const partner = Number($("pr-to").value);
  // In a proposal the recipient is -2 ("them"); a counter names the proposer.
  const them = counterTo ? partner : -2;
  const kind = $("pr-kind").value, good = Number($("pr-good").value), goodName = view.goods[good].name;
  const tonnes = Number($("pr-tonnes").value), perKg = Number($("pr-price").value), musd = Number($("pr-usd").value);
  const clause = {
    supply_in: { kind: 0, from: them, to: me, good, tonnes, price: perKg * 1000 },
    supply_out: { kind: 0, from: me, to: them, good, tonnes, price: perKg * 1000 },
    pay_out: { kind: 5, from: me, to: them, good: null, usd: musd * 1e6 },
    pay_in: { kind: 5, from: them, to: me, good: null, usd: musd * 1e6 },
    license: { kind: 1, from: them, to: me, good, tonnes, civilian_only: true, max_delay: 1 },
    regime: { kind: 2, from: them, to: me, good, regime: 0 },
  }[kind];
  const words = {
    supply_in: `they ship us ${fmt(tonnes)} t/turn of ${goodName} at $${fmt(perKg, 1)}/kg`,
    supply_out: `we ship them ${fmt(tonnes)} t/turn of ${goodName} at $${fmt(perKg, 1)}/kg`,
    pay_out: `we pay them $${fmt(musd, 1)}M`, pay_in: `they pay us $${fmt(musd, 1)}M`,
    license: `they license our firms for ${fmt(tonnes)} t/turn of ${goodName}`, regime: `they open exports of ${goodName} to us`,
  }[kind];
  const turns = Math.max(1, Math.round(Number($("pr-turns").value) || 4)), note = $("pr-note").value;
  const name = view.countries[partner].name;
  if (counterTo) {
    addToDraft({ command: "respond", proposal_id: counterTo.id, answer: 2, clauses: [clause], turns, note }, `counter #${counterTo.id} to ${name}: ${words}, ${turns} turns`);
    endCounter();
  } else {
    addToDraft({ command: "propose", to: [partner], clauses: [clause], turns, note }, `propose to ${name}: ${words}, ${turns} turns`);
  }
});

function renderLicences(v) {
  const apps = v.licensing.applications;
  const head = el("tr", {}, el("th", {}, "From → to"), el("th", {}, "Good"), el("th", { class: "num" }, "t/turn"), el("th", {}, ""));
  const name = (id) => (v.countries.find((c) => c.id === id) || { name: id }).name;
  $("licences").replaceChildren(head, ...apps.map((a) => el("tr", {},
    el("td", {}, `${name(a.exporter)} → ${name(a.importer)}`), el("td", {}, `${a.good} (${a.end_use})`),
    el("td", { class: "num" }, fmt(a.tonnes_per_turn, 1)),
    el("td", {}, a.yours_to_decide && a.decidable && v.seat.phase === "deciding"
      ? el("span", {},
          el("button", { class: "small", onclick: () => addToDraft({ command: "decide_license", application_id: a.id, decision: 0 }, `approve application ${a.id} (${name(a.importer)}, ${a.good})`) }, "approve"), " ",
          el("button", { class: "small", onclick: () => addToDraft({ command: "decide_license", application_id: a.id, decision: 1 }, `deny application ${a.id} (${name(a.importer)}, ${a.good})`) }, "deny"))
      : `${a.waiting_turns} turn(s) waiting`))));
  if (!apps.length) $("licences").replaceChildren(el("tr", {}, el("td", { class: "muted" }, "No applications pending that concern you.")));
}

// The deal screen's content: what each side gives, in words.
function dealBox(p) {
  if (!p.deal) return "";
  const side = (who, gives) => el("div", { class: "side" }, el("strong", {}, `${who} gives`),
    el("ul", {}, ...(gives.length ? gives : ["nothing"]).map((g) => el("li", {}, g))));
  return el("div", { class: "deal" }, side(p.deal.proposer, p.deal.proposer_gives), side(p.deal.recipient, p.deal.recipient_gives),
    el("div", { class: "muted" }, p.deal.terms));
}

function renderProposals(v) {
  const d = v.diplomacy;
  const canAnswer = v.seat.phase === "deciding" || v.seat.phase === "talking";
  const rows = d.pending.map((p) => el("div", { class: "proposal" },
    el("strong", {}, p.from === v.seat.id ? `You → ${p.to}` : `${p.from} → you`), ` (#${p.id}, ${p.turns} turns)`,
    dealBox(p),
    p.note ? el("div", { class: "muted" }, `“${p.note}”`) : "",
    p.to === v.seat.id && canAnswer ? el("div", { class: "buttons" },
      el("button", { class: "small", onclick: () => addToDraft({ command: "respond", proposal_id: p.id, answer: 0 }, `accept proposal ${p.id} from ${p.from}`) }, "accept"),
      el("button", { class: "small", onclick: () => addToDraft({ command: "respond", proposal_id: p.id, answer: 1 }, `reject proposal ${p.id} from ${p.from}`) }, "reject"),
      el("button", { class: "small", onclick: () => startCounter(p) }, "counter…")) : ""));
  $("proposals").replaceChildren(...(rows.length ? rows : [el("p", { class: "muted" }, "No proposals pending.")]));
  $("agreements").replaceChildren(...d.agreements.map((a) => el("li", {}, `#${a.id} ${a.proposer} – ${a.acceptor}: ${a.terms} (${a.start_date} to ${a.end_date})`)));
  if (!d.agreements.length) $("agreements").replaceChildren(el("li", { class: "muted" }, "None in force."));
}

function renderLeverage(v) {
  const L = v.leverage;
  if (!L.measured) return $("leverage").replaceChildren(el("tr", {}, el("td", { class: "muted" }, "Not measured yet.")));
  const head = el("tr", {}, el("th", {}, ""), ...L.countries.map((c) => el("th", { class: "num" }, c)));
  $("leverage").replaceChildren(head, ...L.net.map((row, i) => el("tr", {}, el("th", {}, L.names[i]),
    ...row.map((x) => el("td", { class: `num ${x > 0.005 ? "pos" : x < -0.005 ? "neg" : ""}` }, x === null ? "" : fmt(Math.abs(x) < 0.005 ? 0 : x, 2))))));
}

// ---- The map ------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
const MAP_W = 1000, MAP_H = 420, LAT_TOP = 84, LAT_BOTTOM = -58;
const project = (lon, lat) => [((lon + 180) / 360) * MAP_W, ((LAT_TOP - lat) / (LAT_TOP - LAT_BOTTOM)) * MAP_H];
let landPath = null;  // the coastlines as one SVG path, fetched once

function svg(tag, attrs, title) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (title) { const t = document.createElementNS(SVG, "title"); t.textContent = title; e.append(t); }
  return e;
}

async function loadLand() {
  const text = await fetch("/map/land.txt").then((r) => (r.ok ? r.text() : "")).catch(() => "");
  let d = "", first = true, lastLon = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    if (line.startsWith("ring")) { first = true; continue; }
    const [lon, lat] = line.split(/\s+/).map(Number);
    const [x, y] = project(lon, lat);
    // A ring that crosses the date line jumps across the map: start a new piece there.
    const jump = !first && Math.abs(lon - lastLon) > 180;
    d += `${first || jump ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
    first = false;
    lastLon = lon;
  }
  landPath = d;
  if (view) renderMap(view);
}

function renderMap(v) {
  const m = v.map, box = $("map");
  $("map-date").textContent = m.date ? `(${m.date})` : "";
  const nodes = [];
  if (landPath) nodes.push(svg("path", { d: landPath, class: "land" }));
  const at = Object.fromEntries(m.countries.filter((c) => !c.bloc).map((c) => [c.id, project(c.lon, c.lat)]));
  for (const f of m.flows) {
    const a = at[f.from], b = at[f.to];
    if (!a || !b) continue;
    // A gentle curve, fanned out by slot so goods on one route do not overlap.
    const mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2, dx = b[0] - a[0], dy = b[1] - a[1];
    const bend = 0.15 + 0.08 * f.slot;
    const cx = mx - dy * bend, cy = my + dx * bend;
    nodes.push(svg("path", { d: `M${a[0]},${a[1]} Q${cx},${cy} ${b[0]},${b[1]}`, class: `flow ${f.status}`,
      "stroke-width": (1 + 7 * (f.width || 0)).toFixed(1) }, `${f.from} → ${f.to}: ${fmt(f.tonnes)} t of ${f.good} (${f.status})`));
  }
  for (const c of m.countries) {
    if (c.bloc || !at[c.id]) continue;
    const [x, y] = at[c.id], r = 4 + 40 * Math.sqrt(Math.max(0, c.leverage_index || 0));
    const cls = `country${c.id === v.seat.id ? " you" : ""}${c.cover_alarm ? " alarm" : ""}`;
    nodes.push(svg("circle", { cx: x, cy: y, r: r.toFixed(1), class: cls }, `${c.name}: leverage index ${fmt(c.leverage_index, 3)}`));
    const label = svg("text", { x: x + r + 2, y: y + 4, class: "label" });
    label.textContent = c.name;
    nodes.push(label);
  }
  box.replaceChildren(...nodes);
}

function renderCountries(v) {
  const head = el("tr", {}, el("th", {}, "Country"), el("th", { class: "num" }, "Score"), el("th", { class: "num" }, "Leverage"), el("th", {}, "Played by"));
  $("countries").replaceChildren(head, ...v.countries.map((c) => el("tr", {},
    el("td", {}, c.name), el("td", { class: "num" }, fmt(c.score, 2)), el("td", { class: "num" }, fmt(c.leverage_index, 3)),
    el("td", {}, c.people ? "a team" : "its policy"))));
}

function renderEvents(v) {
  $("events").replaceChildren(...v.events.slice(0, 25).map((e) => el("li", {}, `T${e.turn + 1}: ${e.text}`)));
}

// ---- Sending ---------------------------------------------------------------------------

$("end-turn").addEventListener("click", () => {
  if (!view || view.seat.phase !== "deciding") return;
  send({ type: "decisions", turn: view.seat.deciding_turn, commands: draft.map((d) => d.command) });
});
$("say").addEventListener("click", () => {
  send({ type: "say", round: view.talk ? view.talk.round : 0, commands: draft.map((d) => d.command), done: false });
  draft = [];
  renderDraft();
});
$("done-talking").addEventListener("click", () => {
  send({ type: "say", round: view.talk ? view.talk.round : 0, commands: draft.map((d) => d.command), done: true });
  draft = [];
  renderDraft();
});

setInterval(() => {
  if (!clockEnd) return;
  const left = Math.max(0, (clockEnd - performance.now()) / 1000);
  const s = Math.ceil(left);
  $("clock").textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  $("clock").className = left <= 30 ? "late" : "";
}, 250);

loadLand();

// A link with ?code= (the QR code on the projector) joins at once, unless this device already has a seat.
const linkCode = new URLSearchParams(location.search).get("code");
if (linkCode && !token) join(linkCode);
else connect();
