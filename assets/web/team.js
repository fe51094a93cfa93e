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
  if (m.type === "error") { $("send-error").textContent = m.message; $("send-ok").textContent = ""; return; }
  if (m.type === "ack") {
    $("send-error").textContent = "";
    $("send-ok").textContent = m.what === "say" ? "Sent: the others hear it at the end of this round." : "Sent: the game has your decisions.";
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
  $("send-ok").textContent = "";
  renderDraft();
}

function renderAdvice(v) {
  const advice = v.advice || [];
  $("advice").replaceChildren(...advice.map((a) =>
    el("li", {}, a.text, " ", el("button", { class: "small", onclick: () => addToDraft(a.command, a.text) }, "adopt"))));
  // No `advice` while deciding: the advisor has not been asked yet (the seats are advised one after
  // another as the decisions open); an empty list: it was, and suggests nothing.
  const none = v.seat.phase !== "deciding" ? "None now."
    : v.advice ? "The advisor suggests nothing this turn." : "No suggestions from the advisor yet.";
  if (!advice.length) $("advice").replaceChildren(el("li", { class: "muted" }, none));
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

// ---- Instruments -------------------------------------------------------------------------
// One form for the thirteen instruments: the select names the instrument, and only its fields
// show. Units on the page are the window's (USD/kg, %, t/year); the commands carry the wire's
// (USD/t, fractions: docs/protocol.md §Commands).

const INSTRUMENTS = {
  stockpile_buy: { fields: ["good", "tonnes", "price"], price: "Highest price, USD/kg",
    help: "The government buys for its strategic stockpile in this turn's market, at no more than the price given; the treasury pays." },
  stockpile_release: { fields: ["good", "tonnes", "price"], price: "Lowest price, USD/kg",
    help: "The government sells from its strategic stockpile into this turn's market, at no less than the price given." },
  set_defense_priority: { fields: ["good", "defense"],
    help: "Rated defense orders: defense demand for the good is served first at home, and the stockpile covers what the market leaves unmet." },
  set_export_regime: { fields: ["good", "partner", "regime"], partner: "Destination", every: "every country",
    help: "Open, licensed (each sale needs your licence: your firms' buyers apply, you decide) or embargoed, toward one country or all." },
  set_export_duty: { fields: ["good", "partner", "rate"], partner: "Destination", every: "every country", rate: "Duty, % of the reference price",
    help: "An ad valorem tax on exports of the good, paid to your treasury; it raises the price abroad." },
  set_export_quota: { fields: ["good", "quota"],
    help: "A cap on your exports of the good, all destinations together." },
  revoke_license: { fields: ["license"],
    help: "Ends an export licence you granted: the buyer's firms can no longer ship under it (one an agreement granted is bound by it: withdraw from the agreement first)." },
  set_tariff: { fields: ["good", "partner", "rate"], partner: "Origin", every: "every country", rate: "Tariff, % of the reference price",
    help: "An ad valorem tax on imports of the good, paid to your treasury; your buyers pay more for foreign supply." },
  set_production_quota: { fields: ["good", "quota"],
    help: "A cap on your country's production of the good." },
  set_subsidy: { fields: ["good", "support"], support: "Subsidy, USD/kg produced",
    help: "Paid by the treasury to your producers for each kg they make (0 ends it)." },
  set_price_floor: { fields: ["good", "support"], support: "Floor price, USD/kg",
    help: "The treasury makes up the difference when your producers sell below this price (0 removes the floor)." },
  start_project: { fields: ["good", "partner", "capacity", "share"], partner: "Where", every: "at home",
    help: "New capacity, paid from the treasury now; it produces after the lead time. Abroad, a share of the output is shipped home." },
  withdraw: { fields: ["agreement", "note"],
    help: "Leave an agreement you are party to; the other side is told, and trust in you may suffer." },
};

const countryName = (v, id) => (v.countries.find((c) => c.id === id) || { name: id }).name;
const goodName = (v, id) => (v.goods.find((g) => g.id === id) || { name: id }).name;
const pct = (x) => `${fmt(x * 100, x * 100 % 1 ? 1 : 0)} %`;

// Keeps a select's choice when its options are rebuilt from a new view.
function fillSelect(select, options) {
  const keep = select.value;
  select.replaceChildren(...options.map(([value, text]) => el("option", { value }, text)));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

function renderInstrumentChoices(v) {
  const me = v.seat.id;
  fillSelect($("ins-good"), v.goods.map((g, i) => [i, g.name]));
  const spec = INSTRUMENTS[$("ins-kind").value];
  fillSelect($("ins-partner"), [[-1, spec.every || "every country"],
    ...v.countries.map((c, i) => [i, c.name]).filter(([i]) => v.countries[i].id !== me)]);
  const issued = v.licensing.licenses.filter((l) => l.issued);
  fillSelect($("ins-license"), issued.length
    ? issued.map((l) => [l.id, `#${l.id} ${countryName(v, l.importer)}: ${fmt(l.tonnes_per_turn, 1)} t/turn of ${goodName(v, l.good)}, to ${l.valid_until}`])
    : [["", "you have granted no licence in force"]]);
  const mine = v.diplomacy.agreements.filter((a) => a.yours && !a.withdrawing);
  fillSelect($("ins-agreement"), mine.length
    ? mine.map((a) => [a.id, `#${a.id} with ${countryName(v, a.proposer === me ? a.acceptor : a.proposer)}: ${a.terms}`])
    : [["", "you are party to no agreement in force"]]);
  updateInstrumentFields();
}

function updateInstrumentFields() {
  const kind = $("ins-kind").value, spec = INSTRUMENTS[kind];
  for (const label of document.querySelectorAll("#instrument [data-for]"))
    label.hidden = !spec.fields.includes(label.dataset.for);
  $("ins-help").textContent = spec.help;
  if (spec.partner) {
    $("ins-partner-text").textContent = spec.partner;
    const first = $("ins-partner").options[0];
    if (first && first.value === "-1") first.textContent = spec.every;
  }
  if (spec.rate) $("ins-rate-text").textContent = spec.rate;
  if (spec.price) $("ins-price-text").textContent = spec.price;
  if (spec.support) $("ins-support-text").textContent = spec.support;
  $("ins-quota").disabled = $("ins-lift").checked;
  // Rated defense orders need a defense sector that uses the good (the scenario's sectors).
  const goods = $("ins-good");
  for (const o of goods.options) o.disabled = kind === "set_defense_priority" && view && !view.goods[o.value].defense;
  if (goods.selectedOptions[0] && goods.selectedOptions[0].disabled) {
    const first = [...goods.options].find((o) => !o.disabled);
    if (first) goods.value = first.value;
  }
  // Abroad only: the share of the plant's output shipped home.
  if (kind === "start_project") $("ins-share-label").hidden = Number($("ins-partner").value) < 0;
  $("ins-error").textContent = "";
  $("ins-now").textContent = view ? instrumentNow(view, kind) : "";
}
for (const id of ["ins-kind", "ins-good", "ins-partner", "ins-lift", "ins-capacity"]) $(id).addEventListener("change", updateInstrumentFields);
$("ins-capacity").addEventListener("input", updateInstrumentFields);

// The instrument's current setting (or, for an investment, its cost), from the seat's view.
function instrumentNow(v, kind) {
  const gi = Number($("ins-good").value), good = v.goods[gi], pi = Number($("ins-partner").value);
  if (!good) return "";
  const partner = pi >= 0 ? v.countries[pi] : null;
  const policy = (v.country.policy.goods || []).find((p) => p.good === good.id) || {};
  const stock = v.country.stocks.find((s) => s.good === good.name);
  switch (kind) {
    case "stockpile_buy": case "stockpile_release": {
      const price = v.prices.find((p) => p.good === good.id);
      return `Now: stockpile ${fmt(stock ? stock.stockpile_t : 0)} t; last price at home ${price && price.usd_per_kg != null ? `$${fmt(price.usd_per_kg, 1)}/kg` : "–"}; treasury $${fmt(v.country.treasury_musd)}M.`;
    }
    case "set_defense_priority": return `Now: defense orders for ${good.name} are ${policy.defense_priority ? "rated" : "not rated"}.`;
    case "set_export_regime": case "set_export_duty": {
      const rules = v.country.policy.export_rules.filter((r) => r.good === good.id && (!partner || r.destination === partner.id));
      if (!rules.length) return `Now: exports of ${good.name} ${partner ? `to ${partner.name}` : "everywhere"} are open, with no duty.`;
      return "Now: " + rules.map((r) => `to ${countryName(v, r.destination)} ${r.regime}${r.duty ? `, duty ${pct(r.duty)}` : ""}`).join("; ") + (partner ? "." : "; elsewhere open, no duty.");
    }
    case "set_tariff": {
      const rows = v.country.policy.tariffs.filter((t) => t.good === good.id && (!partner || t.origin === partner.id));
      if (!rows.length) return `Now: no tariff on ${good.name} ${partner ? `from ${partner.name}` : "from anywhere"}.`;
      return "Now: " + rows.map((t) => `from ${countryName(v, t.origin)} ${pct(t.rate)}`).join("; ") + ".";
    }
    case "set_export_quota": return `Now: ${policy.export_quota_t_per_year != null ? `${fmt(policy.export_quota_t_per_year)} t/year` : "no export quota"} on ${good.name}.`;
    case "set_production_quota": return `Now: ${policy.production_quota_t_per_year != null ? `${fmt(policy.production_quota_t_per_year)} t/year` : "no production quota"} on ${good.name}.`;
    case "set_subsidy": return `Now: ${policy.subsidy_usd_per_kg ? `$${fmt(policy.subsidy_usd_per_kg, 2)}/kg` : "no subsidy"} on ${good.name}.`;
    case "set_price_floor": return `Now: ${policy.price_floor_usd_per_kg ? `$${fmt(policy.price_floor_usd_per_kg, 1)}/kg` : "no price floor"} on ${good.name}.`;
    case "start_project": {
      const inv = (v.country.investment || []).find((p) => p.good === good.id);
      if (!inv) return "";
      const capex = inv.capex_usd_per_tpy * Math.max(0, Number($("ins-capacity").value) || 0) / 1e6;
      const mine = inv.mining ? (partner ? " A mine needs reserves in the host country." : ` A mine needs reserves: you have ${fmt(inv.reserves_t)} t.`) : "";
      return `Costs $${fmt(capex, capex < 1 ? 3 : capex < 10 ? 1 : 0)}M of your $${fmt(v.country.treasury_musd)}M; first output ${inv.online_date} (${inv.lead_turns} turns).${mine}`;
    }
    case "revoke_license": return `${v.licensing.licenses.filter((l) => l.issued).length} licence(s) you granted are in force (listed under Licences).`;
    case "withdraw": return "";
  }
  return "";
}

// The command the form describes and its words, or a reason it cannot be made.
function instrumentCommand(v) {
  const kind = $("ins-kind").value;
  const good = Number($("ins-good").value), gName = v.goods[good] ? v.goods[good].name : "";
  const partner = Number($("ins-partner").value);
  const num = (id) => Number($(id).value);
  const to = partner < 0 ? "every country" : v.countries[partner].name;
  const from = partner < 0 ? "everywhere" : v.countries[partner].name;
  const need = (x, what) => { if (!(x > 0)) throw new Error(`${what} must be more than 0`); return x; };
  const atLeast0 = (x, what) => { if (!(x >= 0)) throw new Error(`${what} must be 0 or more`); return x; };
  switch (kind) {
    case "stockpile_buy": {
      const tonnes = need(num("ins-tonnes"), "Tonnes"), perKg = need(num("ins-price"), "The price");
      return [{ command: kind, good, tonnes, max_price: perKg * 1000 }, `buy ${fmt(tonnes)} t of ${gName} for the stockpile at up to $${fmt(perKg, 1)}/kg`];
    }
    case "stockpile_release": {
      const tonnes = need(num("ins-tonnes"), "Tonnes"), perKg = atLeast0(num("ins-price"), "The price");
      return [{ command: kind, good, tonnes, min_price: perKg * 1000 }, `release ${fmt(tonnes)} t of ${gName} from the stockpile at $${fmt(perKg, 1)}/kg or more`];
    }
    case "set_defense_priority": {
      const on = $("ins-defense").value === "1";
      return [{ command: kind, good, on }, on ? `rated defense orders for ${gName}: defense served first` : `end rated defense orders for ${gName}`];
    }
    case "set_export_regime": {
      const regime = Number($("ins-regime").value);
      return [{ command: kind, good, destination: partner, regime }, `exports of ${gName} to ${to}: ${["open", "licensed", "embargo"][regime]}`];
    }
    case "set_export_duty": {
      const rate = atLeast0(num("ins-rate"), "The duty") / 100;
      return [{ command: kind, good, destination: partner, rate }, `export duty on ${gName} to ${to}: ${pct(rate)}`];
    }
    case "set_tariff": {
      const rate = atLeast0(num("ins-rate"), "The tariff") / 100;
      return [{ command: kind, good, origin: partner, rate }, `tariff on ${gName} from ${from}: ${pct(rate)}`];
    }
    case "set_export_quota": case "set_production_quota": {
      const what = kind === "set_export_quota" ? "export" : "production";
      if ($("ins-lift").checked) return [{ command: kind, good, tonnes_per_year: "inf" }, `lift the ${what} quota on ${gName}`];
      const t = atLeast0(num("ins-quota"), "The quota");
      return [{ command: kind, good, tonnes_per_year: t }, `${what} quota on ${gName}: ${fmt(t)} t a year`];
    }
    case "set_subsidy": {
      const perKg = atLeast0(num("ins-support"), "The subsidy");
      return [{ command: kind, good, usd_per_tonne: perKg * 1000 }, perKg ? `production subsidy on ${gName}: $${fmt(perKg, 2)}/kg` : `end the production subsidy on ${gName}`];
    }
    case "set_price_floor": {
      const perKg = atLeast0(num("ins-support"), "The floor");
      return [{ command: kind, good, usd_per_tonne: perKg * 1000 }, perKg ? `price floor on ${gName}: $${fmt(perKg, 1)}/kg` : `remove the price floor on ${gName}`];
    }
    case "start_project": {
      const t = need(num("ins-capacity"), "The capacity");
      const share = partner < 0 ? 0 : Math.min(100, atLeast0(num("ins-share"), "The share")) / 100;
      return [{ command: kind, host: partner, good, tonnes_per_year: t, output_share: share },
        partner < 0 ? `invest in ${fmt(t)} t/year of ${gName} at home` : `invest in ${fmt(t)} t/year of ${gName} in ${to}, ${pct(share)} of the output shipped home`];
    }
    case "revoke_license": {
      const id = Number($("ins-license").value);
      const l = v.licensing.licenses.find((x) => x.id === id && x.issued);
      if (!l) throw new Error("You have granted no licence in force to revoke.");
      return revokeCommand(v, l);
    }
    case "withdraw": {
      const id = Number($("ins-agreement").value);
      const a = v.diplomacy.agreements.find((x) => x.id === id && x.yours);
      if (!a) throw new Error("You are party to no agreement in force.");
      return withdrawCommand(v, a, $("ins-note").value);
    }
  }
  throw new Error("unknown instrument");
}

function revokeCommand(v, l) {
  return [{ command: "revoke_license", license_id: l.id }, `revoke licence #${l.id} (${countryName(v, l.importer)}, ${fmt(l.tonnes_per_turn, 1)} t/turn of ${goodName(v, l.good)})`];
}
function withdrawCommand(v, a, note) {
  const other = a.proposer === v.seat.id ? a.acceptor : a.proposer;
  return [{ command: "withdraw", agreement_id: a.id, note: note || "" }, `withdraw from agreement #${a.id} with ${countryName(v, other)}`];
}

// A setting drafted twice (the same instrument on the same good and partner, the same licence or
// agreement) keeps the newer one, as the window refuses contradicting settings in one turn.
const SETTINGS = new Set(["set_export_regime", "set_export_duty", "set_export_quota", "set_production_quota", "set_tariff",
  "set_subsidy", "set_price_floor", "set_defense_priority", "revoke_license", "withdraw"]);
const settingKey = (c) => SETTINGS.has(c.command)
  ? [c.command, c.good, c.destination, c.origin, c.license_id, c.agreement_id].join("/") : null;

function addSetting(command, text) {
  const key = settingKey(command);
  const before = key ? draft.findIndex((d) => settingKey(d.command) === key) : -1;
  if (before >= 0) draft.splice(before, 1);
  addToDraft(command, text);
  return before >= 0;
}

$("instrument").addEventListener("submit", (e) => {
  e.preventDefault();
  if (!view) return;
  try {
    // In the negotiation rounds a seat says proposals, answers and withdrawals only (docs/protocol.md).
    const phase = view.seat.phase, kind = $("ins-kind").value;
    if ((phase === "talking" || phase === "talks") && kind !== "withdraw")
      throw new Error("Exports, stockpiles, licences and investments are decided after the negotiation, with End turn.");
    const [command, text] = instrumentCommand(view);
    const replaced = addSetting(command, text);
    $("ins-error").textContent = "";
    $("ins-now").textContent = replaced ? `Added: ${text} (replaces the earlier one).` : `Added: ${text}.`;
  } catch (err) {
    $("ins-error").textContent = err.message;
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
  const name = (id) => countryName(v, id);
  $("licences").replaceChildren(head, ...apps.map((a) => el("tr", {},
    el("td", {}, `${name(a.exporter)} → ${name(a.importer)}`), el("td", {}, `${goodName(v, a.good)} (${a.end_use})`),
    el("td", { class: "num" }, fmt(a.tonnes_per_turn, 1)),
    el("td", {}, a.yours_to_decide && a.decidable && v.seat.phase === "deciding"
      ? el("span", {},
          el("button", { class: "small", onclick: () => addToDraft({ command: "decide_license", application_id: a.id, decision: 0 }, `approve application ${a.id} (${name(a.importer)}, ${goodName(v, a.good)})`) }, "approve"), " ",
          el("button", { class: "small", onclick: () => addToDraft({ command: "decide_license", application_id: a.id, decision: 1 }, `deny application ${a.id} (${name(a.importer)}, ${goodName(v, a.good)})`) }, "deny"))
      : `${a.waiting_turns} turn(s) waiting`))));
  if (!apps.length) $("licences").replaceChildren(el("tr", {}, el("td", { class: "muted" }, "No applications pending that concern you.")));

  // Licences in force: those the seat granted (with Revoke) and those its firms hold.
  const deciding = v.seat.phase === "deciding";
  const row = (l, other, action) => el("tr", {},
    el("td", {}, name(other), el("span", { class: "muted" }, ` #${l.id}`)),
    el("td", {}, goodName(v, l.good), l.civilian_only ? el("span", { class: "muted" }, " civilian only") : "",
      l.agreement_id ? el("span", { class: "muted" }, ` (agreement #${l.agreement_id})`) : ""),
    el("td", { class: "num" }, fmt(l.tonnes_per_turn, 1)),
    el("td", {}, "until ", el("span", { class: "nowrap" }, l.valid_until), el("span", { class: "muted" }, ` (${l.turns_left} turn${l.turns_left === 1 ? "" : "s"})`)),
    el("td", {}, action || ""));
  const cols = (who) => el("tr", {}, el("th", {}, who), el("th", {}, "Good"), el("th", { class: "num" }, "t/turn"), el("th", {}, "Valid"), el("th", {}, ""));
  const issued = v.licensing.licenses.filter((l) => l.issued), held = v.licensing.licenses.filter((l) => !l.issued);
  $("issued").replaceChildren(...(issued.length ? [cols("To"), ...issued.map((l) => row(l, l.importer, deciding
    ? el("button", { class: "small", onclick: () => { const [c, t] = revokeCommand(v, l); addSetting(c, t); } }, "revoke") : ""))]
    : [el("tr", {}, el("td", { class: "muted" }, "None in force."))]));
  $("held").replaceChildren(...(held.length ? [cols("From"), ...held.map((l) => row(l, l.exporter))]
    : [el("tr", {}, el("td", { class: "muted" }, "None in force."))]));
  $("issued-count").textContent = issued.length ? `(${issued.length})` : "";
  $("held-count").textContent = held.length ? `(${held.length})` : "";
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
  const canWithdraw = v.seat.phase === "deciding" || v.seat.phase === "talking";
  $("agreements").replaceChildren(...d.agreements.map((a) => el("li", {}, `#${a.id} ${a.proposer} – ${a.acceptor}: ${a.terms} (${a.start_date} to ${a.end_date})`,
    a.withdrawing ? el("span", { class: "muted" }, " — being withdrawn from") : "",
    a.yours && !a.withdrawing && canWithdraw ? el("span", {}, " ", el("button", { class: "small", onclick: () => { const [c, t] = withdrawCommand(v, a, ""); addSetting(c, t); } }, "withdraw")) : "")));
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
