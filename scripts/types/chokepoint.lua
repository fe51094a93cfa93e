---@meta chokepoint
-- LuaLS annotation stubs for Chokepoint policies: completion, hover help and type checks in an
-- editor (VS Code with the "Lua" extension by sumneko, Neovim with lua_ls, ...). The repository's
-- .luarc.json points LuaLS at this folder. This file is never run; the real functions are C++
-- (agents/lua/api_world.cpp, agents/lua/api_commands.cpp). Full reference: docs/lua-api.md.
--
-- Units everywhere: tonnes (t), t/yr, t/turn, USD/kg, USD millions, months, rates as fractions.
-- Reads raise a Lua error on a wrong argument type or an unknown id; commands answer
-- `true` or `nil, message` (refusals, unknown ids) and raise only on a wrong argument type.

---A good id of the scenario, e.g. "ndpr_concentrate", "dytb_concentrate", "ndpr_oxide",
---"dytb_oxide", "ndfeb_magnet" in the shipped scenarios.
---@alias GoodId string
---A country id of the scenario, e.g. "china", "usa", "eu", "japan", "rest_of_world".
---@alias CountryId string
---A sector id of the scenario, e.g. "ev_motors", "wind", "electronics", "industrial", "defense", "other_oxide".
---@alias SectorId string
---@alias Process "mining"|"separation"|"magnet_making"
---@alias Regime "open"|"licensed"|"embargo"
---@alias EndUse "civilian"|"defense"
---@alias Decision "approve"|"deny"|"defer"
---@alias ApplicationStatus "pending"|"approved"|"denied"|"expired"

---A good, as ctx:goods() lists it.
---@class Good
---@field id GoodId
---@field name string
---@field stage integer 0 = mined, 1 = separated, 2 = magnets (inputs have lower stages)
---@field process Process
---@field reference_price number USD/kg: the scenario's calibration anchor

---A sector, as ctx:sectors() lists it.
---@class Sector
---@field id SectorId
---@field name string
---@field good GoodId the good it consumes
---@field defense boolean counts as defense demand (and defense end use in applications)

---A license application. Passed to on_license_request; listed by ctx:applications() (those
---addressed to this country, pending) and ctx:my_applications() (those this country's firms filed).
---@class Application
---@field id integer pass it to ctx:decide_license
---@field exporter CountryId who must decide
---@field importer CountryId whose firms applied
---@field good GoodId
---@field tonnes number t/turn requested
---@field end_use EndUse
---@field filed_turn integer
---@field decidable_turn integer from this turn on it may be approved or denied (the review ends during it)
---@field review_days number review time in calendar days (0 for the queue at the start of the game)
---@field first_turn_share number share of decidable_turn left after the review: a licence first valid then ships only this share of its volume that turn
---@field start_turn integer first turn the firms need it for (later than decidable_turn for a renewal: the licence starts then)
---@field status? ApplicationStatus in ctx:applications()/ctx:my_applications() (not in on_license_request, where it is pending)

---A license, as ctx:licenses() lists it (issued or held by this country, not yet expired).
---@class License
---@field id integer pass it to ctx:revoke_license
---@field exporter CountryId
---@field importer CountryId
---@field good GoodId
---@field tonnes number t/turn allowed
---@field first_turn integer
---@field last_turn integer valid through this turn
---@field first_turn_share number share of the volume usable in first_turn (1 unless the review ended mid-turn)
---@field civilian_only boolean
---@field revoked boolean

---An investment project, as ctx:projects() lists it (owned or hosted by this country).
---@class Project
---@field id integer
---@field owner CountryId who pays (and, abroad, receives the output share)
---@field host CountryId where the capacity is built
---@field good GoodId
---@field tonnes_per_year number t/yr nameplate
---@field online_turn integer the turn it is due online (slips with delays)
---@field online boolean
---@field private boolean built by firms (private investment), not by a government

---An event passed to on_event, one that concerns this country (its country or target, or a public type).
---Events of turn N before the policy phase (scripted injects, random shocks, negotiation-round
---proposals/answers/agreements, licence applications filed or lapsed) arrive in turn N; events of
---turn N from the policy phase on (every command's effect, policy_log/policy_error, breaches and
---violations found in settlement, shortages, projects online or delayed) arrive at the start of
---turn N+1 with turn = N. So a breach found at the end of turn N is heard in turn N+1.
---@class Event
---@field type string "scripted", "shock", "license_application", "license_expired", ...
---@field text string what the log shows
---@field turn integer
---@field country? CountryId the event's country (e.g. whose regime a scripted event sets)
---@field target? CountryId the other country, if any
---@field kind? string scripted events: "news", "regime", "export_quota", "production_quota", "export_duty", "capacity", "demand", "reserves", "project", "trust", "stockpile", "approval_policy", "tariff", "general_license"
---@field good? GoodId
---@field [string] any further data of the event (numbers, strings, booleans), e.g. application, tonnes_per_turn, end_use, factor

---Options of ctx:decide_license when approving.
---@class LicenseOptions
---@field tonnes? number t/turn to allow, at most the request (default: as requested)
---@field share? number a partial approval as a share 0..1 of the request (floor to 0.1 t; with tonnes, the smaller)
---@field turns? integer validity in turns, 1..400 (default: a year, ctx:turns_per_year() turns)
---@field civilian_only? boolean the license carries a no-defense-use clause (default false)

---Options of ctx:invest.
---@class InvestOptions
---@field host? CountryId where to build (default: at home)
---@field share? number 0..1: the owner's share of the output when built abroad (default 0)

---What a policy sees and does: passed to every callback, valid only during that call.
---@class Ctx
---@field country CountryId this policy's country
---@field turn integer the current turn, 0-based
---@field date string the current turn's date, "YYYY-MM"
---@field turns integer the game's length in turns
---@field memory table persistent plain data (numbers, strings, booleans, tables of them): survives turns, hot reloads and saves; mutate it (ctx.memory.x = 1) or replace it whole (ctx.memory = {x = 1}): what ctx.memory refers to when the callback returns is kept
---@field params table this country's `policy_params` from the scenario (plain data; {} when none; read-only), with the defaults of the policy's `params` declaration filled in
local Ctx = {}

-- ---------------------------------------------------------------------------------------------
-- Reading: the scenario's definitions
-- ---------------------------------------------------------------------------------------------

---Country ids, in scenario order.
---@return CountryId[]
function Ctx:countries() end

---The goods, in stage order.
---@return Good[]
function Ctx:goods() end

---The sectors.
---@return Sector[]
function Ctx:sectors() end

-- ---------------------------------------------------------------------------------------------
-- Reading: public state (any country)
-- ---------------------------------------------------------------------------------------------

---What buyers paid for a good in a country last turn (the reference price before turn 1).
---@param good GoodId
---@param country? CountryId default: this country
---@return number usd_per_kg
function Ctx:price(good, country) end

---The scenario's reference price of a good.
---@param good GoodId
---@return number usd_per_kg
function Ctx:reference_price(good) end

---Nameplate capacity online now.
---@param good GoodId
---@param country? CountryId default: this country
---@return number tonnes_per_year
function Ctx:capacity(good, country) end

---Tonnes produced last turn (0 before turn 1).
---@param good GoodId
---@param country? CountryId default: this country
---@return number tonnes
function Ctx:production(good, country) end

---Tonnes shipped from one country to another last turn.
---@param good GoodId
---@param from CountryId
---@param to CountryId
---@return number tonnes
function Ctx:flow(good, from, to) end

---Tonnes imported last turn.
---@param good GoodId
---@param country? CountryId default: this country
---@return number tonnes
function Ctx:imports(good, country) end

---Tonnes exported last turn.
---@param good GoodId
---@param country? CountryId default: this country
---@return number tonnes
function Ctx:exports(good, country) end

---The export regime of an exporter for a good toward a destination ("open" toward itself).
---@param exporter CountryId
---@param good GoodId
---@param destination CountryId
---@return Regime
function Ctx:regime(exporter, good, destination) end

---The export duty of an exporter for a good toward a destination (0.25 = 25 % of the reference price).
---@param exporter CountryId
---@param good GoodId
---@param destination CountryId
---@return number rate
function Ctx:export_duty(exporter, good, destination) end

---The tariff an importer puts on a good from an origin (0.25 = 25 % of the reference price).
---@param importer CountryId
---@param good GoodId
---@param origin CountryId
---@return number rate
function Ctx:tariff(importer, good, origin) end

---A country's announced quotas for a good; nil where there is none.
---@param country CountryId
---@param good GoodId
---@return number? production_tonnes_per_year
---@return number? export_tonnes_per_year
function Ctx:quotas(country, good) end

---Net leverage of a over b (combined channels, last measured; 0 before the first measurement
---and when leverage is off, as in `chokepoint check`). Positive: a holds leverage over b.
---@param a CountryId
---@param b CountryId
---@return number net
function Ctx:leverage(a, b) end

---A country's combined leverage index (last measured; 0 before).
---@param country? CountryId default: this country
---@return number index
function Ctx:leverage_index(country) end

---a's materials leverage over b split in two (last measured; 0, 0 before): exercised, the harm
---a's restrictions in force do to b now; reserve, what a full cut by a would still add.
---exercised + reserve = the potential D(a→b) behind leverage().
---@param a CountryId
---@param b CountryId
---@return number exercised
---@return number reserve
function Ctx:leverage_split(a, b) end

-- ---------------------------------------------------------------------------------------------
-- Reading: this country's private state
-- ---------------------------------------------------------------------------------------------

---Firms' commercial inventory of a good.
---@param good GoodId
---@return number tonnes
function Ctx:stock(good) end

---Origin of the firms' inventory of a good: for each licensor whose re-export conditions bind part
---of it, the controlled share of the stock (0..1). Empty when all of it is clean.
---@param good GoodId
---@return table<CountryId, number> shares
function Ctx:origin(good) end

---The government's strategic stockpile of a good.
---@param good GoodId
---@return number tonnes
function Ctx:stockpile(good) end

---The government's policy budget.
---@return number usd_millions
function Ctx:treasury() end

---What the country's sectors and plants use of a good per year (after thrift).
---@param good GoodId
---@return number tonnes_per_year
function Ctx:use(good) end

---Months of use that stock + stockpile cover.
---@param good GoodId
---@return number months
function Ctx:cover(good) end

---A sector's demand in this country.
---@param sector SectorId
---@return number tonnes_per_year
function Ctx:demand(sector) end

---A sector's demand that went unmet last turn (priced out or short; 0 before turn 1).
---@param sector SectorId
---@return number tonnes
function Ctx:unmet(sector) end

---How much of a good this country lacked at home last turn: its sectors' unmet demand plus, for an
---input (Dy/Tb oxide), what the home makers of goods made from it lacked (0 before turn 1).
---@param good GoodId
---@return number tonnes
function Ctx:shortfall(good) end

---This country's trust toward another; with two arguments, a's trust in b (the matrix is public).
---@param other CountryId
---@param b? CountryId
---@return number trust 0..1
function Ctx:trust(other, b) end

---Pending license applications addressed to this country (decidable or still in processing).
---@return Application[]
function Ctx:applications() end

---Applications this country's firms filed abroad, every status.
---@return Application[]
function Ctx:my_applications() end

---Licenses this country issued or holds that are valid now or later.
---@return License[]
function Ctx:licenses() end

---Projects this country owns or hosts (online or not).
---@return Project[]
function Ctx:projects() end

---Months per turn (the scenario's turn_months).
---@return integer
function Ctx:turn_months() end

---Turns per year, 12 / turn_months (converts t/yr to t/turn).
---@return number
function Ctx:turns_per_year() end

---What ctx:invest pays and waits for new capacity of a good (per process, every country alike).
---@class BuildTerms
---@field process string "mining" | "separation" | "magnet_making"
---@field capex_per_tpy number USD per t/yr of capacity (ctx:invest(g, t) costs t * capex_per_tpy USD)
---@field lead_turns integer turns from the decision to the first output (>= 1)
---@field lead_months integer the same in months

---@param good GoodId
---@return BuildTerms
function Ctx:build_terms(good) end

---An importer's full need of a good against what its firms applied for and hold, t/turn.
---@class ImportDemand
---@field use number t/turn its sectors and plants use
---@field capacity number t/turn of its own capacity
---@field gap number max(0, use - capacity): its full import need
---@field applied number t/turn asked in pending licence applications, to every exporter
---@field licensed number t/turn of its licences in force this turn, from every exporter

---@param good GoodId
---@param importer? CountryId default: this country
---@return ImportDemand
function Ctx:import_demand(good, importer) end

---Writes a line to the game log, tagged with the country (arguments joined by tabs).
---@param ... any
function Ctx:log(...) end

---Lets the built-in autopilot act for this callback: in on_turn its stockpile and investment
---moves, in on_license_request its decision on this application.
function Ctx:autopilot() end

-- ---------------------------------------------------------------------------------------------
-- Commands: each answers true, or nil and the reason it was refused
-- ---------------------------------------------------------------------------------------------

---Sets the export regime of a good toward a destination (or "all").
---@param good GoodId
---@param destination CountryId|"all"
---@param regime Regime
---@return true|nil ok
---@return string? why
function Ctx:set_regime(good, destination, regime) end

---Sets the export duty of a good toward a destination (or "all"), 0..10 of the reference price.
---@param good GoodId
---@param destination CountryId|"all"
---@param rate number
---@return true|nil ok
---@return string? why
function Ctx:set_export_duty(good, destination, rate) end

---Decides a license application addressed to this country.
---@param id integer the application's id
---@param decision Decision
---@param options? LicenseOptions for "approve"
---@return true|nil ok
---@return string? why
function Ctx:decide_license(id, decision, options) end

---Revokes a license this country issued.
---@param id integer the license's id
---@return true|nil ok
---@return string? why
function Ctx:revoke_license(id) end

---Caps production of a good (t/yr); nil lifts the quota.
---@param good GoodId
---@param tonnes_per_year? number
---@return true|nil ok
---@return string? why
function Ctx:set_production_quota(good, tonnes_per_year) end

---Caps exports of a good over all destinations (t/yr); nil lifts the quota.
---@param good GoodId
---@param tonnes_per_year? number
---@return true|nil ok
---@return string? why
function Ctx:set_export_quota(good, tonnes_per_year) end

---Bids for the strategic stockpile in this turn's market, paid from the treasury.
---@param good GoodId
---@param tonnes number
---@param max_price number USD/kg
---@return true|nil ok
---@return string? why
function Ctx:stockpile_buy(good, tonnes, max_price) end

---Offers stockpiled tonnes in this turn's market.
---@param good GoodId
---@param tonnes number
---@param min_price? number USD/kg (default 0: at any price)
---@return true|nil ok
---@return string? why
function Ctx:stockpile_release(good, tonnes, min_price) end

---Starts a government project: capacity after the process's lead time, capex from the treasury.
---@param good GoodId
---@param tonnes_per_year number
---@param options? InvestOptions
---@return true|nil ok
---@return string? why
function Ctx:invest(good, tonnes_per_year, options) end

---Pays producers a subsidy per kg produced.
---@param good GoodId
---@param usd_per_kg number
---@return true|nil ok
---@return string? why
function Ctx:set_subsidy(good, usd_per_kg) end

---Guarantees producers a price (the treasury tops them up); nil or 0 removes it.
---@param good GoodId
---@param usd_per_kg? number
---@return true|nil ok
---@return string? why
function Ctx:set_price_floor(good, usd_per_kg) end

---Sets the tariff on imports of a good (or "all": every good, all or none) from an origin (or "all"), 0..10 of the reference price.
---@param good GoodId|"all"
---@param origin CountryId|"all"
---@param rate number
---@return true|nil ok
---@return string? why
function Ctx:set_tariff(good, origin, rate) end

---Rates defense orders for a good (DPAS-style): defense at home is served first, from the market
---and from the strategic stockpile; false lifts the rating.
---@param good GoodId
---@param on? boolean
---@return true|nil ok
---@return string? why
function Ctx:set_defense_priority(good, on) end

-- ---------------------------------------------------------------------------------------------
-- Negotiation (docs/lua-api.md §Negotiation)
-- ---------------------------------------------------------------------------------------------

---@alias ClauseType "supply"|"license"|"regime"|"investment"|"stockpile_loan"|"payment"|"tariff"|"end_use"

---A clause of a proposal or agreement. `from` gives or is bound, `to` is the other party;
---"me" and "them" may stand for the parties when proposing.
---@class Clause
---@field type ClauseType
---@field from? CountryId|"me"|"them" default "me"
---@field to? CountryId|"me"|"them" default the other party
---@field good? GoodId|"all" tariff: "all" (the default) or one good
---@field tonnes? number supply, license cap: t/turn; stockpile_loan: t; investment: t/yr
---@field price? number supply: USD/kg
---@field usd? number payment: USD millions
---@field per_turn? boolean payment: every turn in force
---@field share? number investment: share of output for the investor, 0..1
---@field capex_share? number investment: share of the capex the investor pays, 0..1 (default 1)
---@field regime? "open"|"licensed" regime
---@field rate? number tariff: 0..10
---@field civilian_only? boolean license: default true
---@field max_delay? integer license: 0..8 turns (default 1)
---@field turns? integer runs for fewer turns than the agreement
---@field delivered? number read back from agreements: t shipped (USD millions for payments)
---@field arrears? number read back from agreements: supply t owed
---@field last_turn? integer read back from agreements

---A proposal: on_proposal's argument and ctx:proposals() entries.
---@class Proposal
---@field id integer
---@field from CountryId
---@field to CountryId
---@field clauses Clause[]
---@field turns integer the agreement's duration
---@field note string
---@field counter_to integer the proposal this one counters (0: none)
---@field sent_turn integer
---@field deadline integer the last turn it can be answered
---@field status "pending"|"accepted"|"rejected"|"countered"|"expired"|"failed"
---@field reason? string a rejection's note or why it failed
---@field agreement? integer the agreement it became

---@class Agreement
---@field id integer
---@field proposal integer
---@field proposer CountryId
---@field acceptor CountryId
---@field clauses Clause[]
---@field start_turn integer
---@field end_turn integer
---@field status "active"|"expired"|"withdrawn"|"breached"
---@field breaches integer
---@field ended_by? CountryId
---@field withdraw_turn? integer
---@field end_reason? string
---@field note string

---What on_proposal returns (or nil: answer later with ctx:respond).
---@alias Answer "accept"|"reject"|{answer: "accept"|"reject"|"counter", clauses?: Clause[], turns?: integer, note?: string}

---@class ProposeOptions
---@field turns? integer the agreement's duration (default 4)
---@field note? string free text for the log (≤ 280 characters)

---@class Forecast
---@field feasible boolean
---@field reason? string why the clauses cannot start now
---@field gain number change of the score per turn (economy and security, money included)
---@field economy number
---@field security number
---@field money number USD millions over the horizon
---@field unmet number change of weighted unmet demand, share of weighted demand
---@field price_change number change of the mean price paid, share of reference prices
---@field turns integer the horizon played

---@class Negotiation
---@field enabled boolean
---@field binding boolean
---@field rounds integer
---@field round integer
---@field max_proposals_per_turn integer
---@field proposals_left integer
---@field forecasts_left integer
---@field deadline_turns integer
---@field max_duration_turns integer
---@field notice_turns integer

---Sends a proposal to one or several countries (at the end of the round or policy phase) and
---returns the id it gets then (an array of ids for an array of recipients): the id the
---recipient's on_proposal, ctx:proposals() and the answer's event show. nil, why when refused.
---@param to CountryId|CountryId[]
---@param clauses Clause[]
---@param opts? ProposeOptions
---@return integer|integer[]|nil id
---@return string? why
function Ctx:propose(to, clauses, opts) end

---Answers a proposal addressed to this country (as returning from on_proposal).
---@param id integer
---@param answer "accept"|"reject"|"counter"
---@param opts? {clauses?: Clause[], turns?: integer, note?: string}
---@return true|nil ok
---@return string? why
function Ctx:respond(id, answer, opts) end

---Proposals to and from this country: pending, or every one with {status = "any"}.
---@param opts? {status?: "pending"|"any"}
---@return Proposal[]
function Ctx:proposals(opts) end

---Agreements in force (or every one with {status = "any"}; only this country's with {mine = true}).
---@param opts? {status?: "active"|"any", mine?: boolean}
---@return Agreement[]
function Ctx:agreements(opts) end

---Withdraws from an agreement (public; costs trust; binding mode: after the notice period).
---@param id integer
---@param note? string
---@return true|nil ok
---@return string? why
function Ctx:withdraw(id, note) end

---What a proposal (by id, or a draft: to, clauses, opts) would be worth to this country.
---@param id_or_to integer|CountryId
---@param clauses? Clause[]
---@param opts? {turns?: integer, horizon?: integer}
---@return Forecast|nil forecast
---@return string? why
function Ctx:forecast(id_or_to, clauses, opts) end

---The mean trust the other countries place in a country (default this one).
---@param country? CountryId
---@return number
function Ctx:reputation(country) end

---The scenario's negotiation settings and this turn's allowances.
---@return Negotiation
function Ctx:negotiation() end

-- ---------------------------------------------------------------------------------------------
-- The policy table a policy file returns
-- ---------------------------------------------------------------------------------------------

---What a policy file returns. Every callback is optional; without on_license_request the
---autopilot decides licenses.
---A declared policy parameter (docs/lua-api.md §Declared parameters): the scenario's
---policy_params are checked against it at load; the default fills a missing key.
---@class ParamDecl
---@field type "number"|"integer"|"boolean"|"string"|"country"|"good"|"sector"|"list"|"map"
---@field default? any must fit the declaration itself
---@field min? number inclusive, for number and integer
---@field max? number inclusive, for number and integer
---@field one_of? string[] the allowed strings, for string
---@field doc? string free text

---@class Policy
---@field params? table<string, ParamDecl> declared parameters: unknown, ill-typed or out-of-range policy_params are refused at load with the scenario's file:line:column
---@field init? fun(ctx: Ctx) once, before the country's first turn
---@field on_turn? fun(ctx: Ctx) every turn, after license requests
---@field on_license_request? fun(ctx: Ctx, app: Application) each decidable pending application
---@field on_proposal? fun(ctx: Ctx, proposal: Proposal): Answer? each proposal addressed to the country, in a negotiation round
---@field on_event? fun(ctx: Ctx, event: Event) each event that concerns the country, before licence requests and on_turn: first last turn's from its policy phase on (commands' effects, breaches, shortages, projects), then this turn's so far (injects, shocks, negotiation, applications); see Event
