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

function renderProposals(v) {
  const d = v.diplomacy;
  const canAnswer = v.seat.phase === "deciding" || v.seat.phase === "talking";
  const rows = d.pending.map((p) => el("div", { class: "proposal" },
    el("strong", {}, p.from === v.seat.id ? `You → ${p.to}` : `${p.from} → you`), ` (#${p.id}, ${p.turns} turns): `, p.terms,
    p.note ? el("div", { class: "muted" }, `“${p.note}”`) : "",
    p.to === v.seat.id && canAnswer ? el("div", { class: "buttons" },
      el("button", { class: "small", onclick: () => addToDraft({ command: "respond", proposal_id: p.id, answer: 0 }, `accept proposal ${p.id} from ${p.from}`) }, "accept"),
      el("button", { class: "small", onclick: () => addToDraft({ command: "respond", proposal_id: p.id, answer: 1 }, `reject proposal ${p.id} from ${p.from}`) }, "reject")) : ""));
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

// A link with ?code= (the QR code on the projector) joins at once, unless this device already has a seat.
const linkCode = new URLSearchParams(location.search).get("code");
if (linkCode && !token) join(linkCode);
else connect();
