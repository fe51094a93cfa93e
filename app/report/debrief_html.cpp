#include "app/report/debrief_html.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>

namespace chokepoint::report {
namespace {

using nlohmann::json;

// Event types marked on every chart as injects.
bool is_inject(const std::string& type) { return type == "scripted" || type == "shock"; }

// JSON for inclusion in a <script> element: "</" cannot end the element early.
std::string script_json(const json& j) {
    std::string s = j.dump();
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '<') out += "\\u003c";
        else out += s[i];
    }
    return out;
}

std::vector<double> add(std::vector<double> a, const std::vector<double>& b) {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
    return a;
}

// The licensing exporter: the country that exported the most tonnes (all goods, all turns).
std::string main_exporter(const DebriefData& d) {
    std::string best;
    double most = -1;
    for (const auto& c : d.countries) {
        double sum = 0;
        for (const auto& g : d.suffixes("exports."))
            for (double v : d.metric(c, "exports." + g)) sum += v;
        if (sum > most) most = sum, best = c;
    }
    return best;
}

json dataset(const std::string& label, const std::vector<double>& v, bool dashed) {
    return {{"label", label}, {"data", v}, {"dashed", dashed}};
}

struct Game {
    const DebriefData* d;
    std::string tag;  // "" for one game, "A " / "B " for two
    bool dashed;
};

json chart_data(const std::vector<Game>& games) {
    json charts = json::object();
    for (const char* id : kChartIds) charts[id] = json::array();
    for (const auto& g : games) {
        const DebriefData& d = *g.d;
        std::map<std::string, size_t> start;
        for (auto& [id, list] : charts.items()) start[id] = list.size();
        for (const auto& c : d.countries) {
            charts["chart-leverage"].push_back(dataset(g.tag + c + " exercised", d.metric(c, "leverage.exercised"), g.dashed));
            charts["chart-leverage"].push_back(dataset(g.tag + c + " reserve", d.metric(c, "leverage.reserve"), true));
        }
        const std::string ex = main_exporter(d);
        for (const auto& good : d.suffixes("price.")) {
            std::vector<double> outside(d.turns_played, 0.0);
            int n = 0;
            for (const auto& c : d.countries)
                if (c != ex) outside = add(outside, d.metric(c, "price." + good)), ++n;
            for (double& v : outside) v = n ? v / n : 0;
            charts["chart-prices"].push_back(dataset(g.tag + good + " in " + ex, d.metric(ex, "supply_price." + good), g.dashed));
            charts["chart-prices"].push_back(dataset(g.tag + good + " elsewhere (mean)", outside, true));
        }
        for (const auto& s : d.suffixes("unmet.")) {
            std::vector<double> sum(d.turns_played, 0.0);
            for (const auto& c : d.countries) sum = add(sum, d.metric(c, "unmet." + s));
            charts["chart-unmet"].push_back(dataset(g.tag + s, sum, g.dashed));
        }
        for (const auto& c : d.countries) {
            charts["chart-defense"].push_back(dataset(g.tag + c, d.metric(c, "defense_unmet"), g.dashed));
            std::vector<double> stock(d.turns_played, 0.0), use(d.turns_played, 0.0), cover(d.turns_played, 0.0);
            for (const auto& good : d.suffixes("stockpile.")) stock = add(stock, d.metric(c, "stockpile." + good));
            for (const auto& good : d.suffixes("consumed.")) use = add(use, d.metric(c, "consumed." + good));
            for (int t = 0; t < d.turns_played; ++t) cover[t] = use[t] > 0 ? stock[t] / use[t] : 0;
            charts["chart-cover"].push_back(dataset(g.tag + c, cover, g.dashed));
        }
        // The same series has the same colour in game A and game B.
        for (auto& [id, list] : charts.items())
            for (size_t i = start[id], k = 0; i < list.size(); ++i, ++k) list[i]["ci"] = k;
        std::vector<double> totals;
        for (const auto& c : d.countries) totals.push_back(d.final_scores.at(c).total);
        charts["chart-scores"].push_back(dataset(g.tag + "final score", totals, false));
    }
    return charts;
}

json markers(const DebriefData& d, const std::string& tag) {
    json m = json::array();
    for (const auto& e : d.events)
        if (is_inject(e.type) && e.turn < d.turns_played)
            m.push_back({{"turn", e.turn}, {"text", tag + (e.text.empty() ? e.type : e.text)}});
    return m;
}

// Whether the country was played by a team (known from a game file's decisions).
bool team_seat(const DebriefData& d, const std::string& c) {
    return d.decisions.count(c) != 0;
}

// The best total among the team seats when the game had any (as the window's results screen),
// else among all countries; ties list every one.
std::string winners(const DebriefData& d) {
    const bool teams = !d.decisions.empty();
    double best = -1;
    for (const auto& c : d.countries)
        if (!teams || team_seat(d, c)) best = std::max(best, d.final_scores.at(c).total);
    std::string out;
    for (const auto& c : d.countries)
        if ((!teams || team_seat(d, c)) && d.final_scores.at(c).total == best)
            out += (out.empty() ? "" : ", ") + html_escape(c);
    return out;
}

std::string fmt3(double v) {
    std::ostringstream s;
    s.precision(3);
    s << std::fixed << v;
    return s.str();
}

void score_table(std::ostringstream& h, const DebriefData& d, const std::string& tag) {
    h << "<h3>" << html_escape(tag) << "Final scores — "
      << (d.decisions.empty() ? "highest total: <strong>" : "winner among the team seats: <strong>") << winners(d)
      << "</strong></h3>\n";
    if (d.decisions.empty())
        h << "<p class='meta'>Each country's score weighs its own stakes (docs/model.md §Scores): a country "
             "that uses no rare earths scores full economy and security, so the totals rank situations as "
             "much as play. Compare a country across games or seeds rather than countries with each other.</p>\n";
    h << "<table><tr><th>country</th><th>economy</th><th>security</th><th>influence</th><th>total</th></tr>\n";
    for (const auto& c : d.countries) {
        const auto& s = d.final_scores.at(c);
        h << "<tr><td>" << html_escape(c) << (team_seat(d, c) ? " (team)" : "") << "</td><td>" << fmt3(s.economy) << "</td><td>" << fmt3(s.security)
          << "</td><td>" << fmt3(s.influence) << "</td><td>" << fmt3(s.total) << "</td></tr>\n";
    }
    h << "</table>\n";
}

int turn_of(const DebriefData& d, const std::string& date, int fallback) {
    for (int t = 0; t < static_cast<int>(d.dates.size()); ++t)
        if (d.dates[t] == date) return t;
    return fallback;
}

void agreement_timeline(std::ostringstream& h, const DebriefData& d, const std::string& tag) {
    h << "<h3>" << html_escape(tag) << "Agreements and breaches</h3>\n";
    if (d.agreements.empty()) h << "<p>No agreements were signed.</p>\n";
    const double n = std::max(1, d.turns_played);
    for (const auto& a : d.agreements) {
        int s = turn_of(d, a.start, 0);
        int e = turn_of(d, a.ended.empty() ? a.end : a.ended, d.turns_played - 1);
        if (e < s) e = d.turns_played - 1;
        h << "<div class='tl'><div class='tl-label'>#" << html_escape(a.id) << " " << html_escape(a.proposer) << " – "
          << html_escape(a.acceptor) << ": " << html_escape(a.clauses) << " <em>(" << html_escape(a.status)
          << (a.breaches ? ", " + std::to_string(a.breaches) + " breach(es)" : "") << ")</em></div>"
          << "<div class='tl-track'><div class='tl-bar" << (a.breaches ? " tl-breach" : "") << "' style='left:"
          << fmt3(100.0 * s / n) << "%;width:" << fmt3(100.0 * (e - s + 1) / n) << "%'></div></div></div>\n";
    }
    std::vector<const DebriefEvent*> breaches;
    for (const auto& e : d.events)
        if (e.type.find("breach") != std::string::npos) breaches.push_back(&e);
    if (!breaches.empty()) {
        h << "<ul>";
        for (const auto* e : breaches)
            h << "<li>turn " << e->turn << " (" << html_escape(e->date) << ") " << html_escape(e->country) << ": "
              << html_escape(e->text) << "</li>";
        h << "</ul>\n";
    }
}

std::string lines_html(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "<br>") + html_escape(l);
    return out;
}

bool same_commands(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

// One team-played country: per turn, what the team decided beside what its advisor suggested.
void team_table(std::ostringstream& h, const std::string& country, const std::vector<DebriefDecision>& turns,
                const std::string& tag) {
    int handed = 0, as_suggested = 0;
    for (const auto& t : turns) {
        handed += t.handed_to_advisor;
        as_suggested += !t.handed_to_advisor && t.advice_recorded && same_commands(t.decided, t.advice);
    }
    h << "<h3>" << html_escape(tag + country) << ": played by a team</h3>\n<p class='meta'>"
      << turns.size() - static_cast<size_t>(handed) << " turn(s) decided by the team (" << as_suggested
      << " exactly as the advisor suggested), " << handed << " handed to the advisor.</p>\n"
      << "<table class='decisions'><tr><th>turn</th><th>the team decided</th><th>its advisor suggested</th></tr>\n";
    for (const auto& t : turns) {
        std::string decided = t.handed_to_advisor ? "<em>handed to the advisor (it played its suggestion)</em>"
                              : t.decided.empty() ? "<em>no commands</em>"
                                                  : lines_html(t.decided);
        if (!t.handed_to_advisor && t.advice_recorded && same_commands(t.decided, t.advice))
            decided += " <em>(as suggested)</em>";
        if (!t.talked.empty()) decided = "<em>in the talks:</em><br>" + lines_html(t.talked) + "<br><em>then:</em> " + decided;
        const std::string advice = !t.advice_recorded ? "<em>not recorded (a game file from an earlier version)</em>"
                                   : t.advice.empty() ? "<em>nothing</em>"
                                                      : lines_html(t.advice);
        h << "<tr><td>" << t.turn << " (" << html_escape(t.date) << ")</td><td>" << decided << "</td><td>" << advice
          << "</td></tr>\n";
    }
    h << "</table>\n";
}

void team_decisions(std::ostringstream& h, const std::vector<Game>& games) {
    h << "<h2>Team decisions</h2>\n";
    bool any = false;
    for (const auto& g : games) any = any || g.d->has_decisions;
    if (!any) {
        h << "<p class='meta'>The teams' decisions and their advisors' suggestions are in game files "
             "(<code>run --save</code>, the window's game file), not in output folders.</p>\n";
        return;
    }
    for (const auto& g : games) {
        const DebriefData& d = *g.d;
        if (!d.has_decisions)
            h << "<p class='meta'>" << html_escape(g.tag + d.source)
              << ": an output folder, without the teams' decisions.</p>\n";
        else if (d.decisions.empty())
            h << "<p class='meta'>" << html_escape(g.tag)
              << "No country was played by a team: the policies played every seat.</p>\n";
        for (const auto& c : d.countries) {
            const auto it = d.decisions.find(c);
            if (it != d.decisions.end()) team_table(h, c, it->second, g.tag);
        }
    }
}

constexpr const char* kStyle = R"CSS(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5em;color:#222;background:#fff}
h1{margin-bottom:.2em} .meta{color:#555}
.games{display:flex;gap:2em} .games>div{flex:1}
.chart{position:relative;height:300px;margin:1em 0 2em}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}
.tl{margin:4px 0} .tl-label{font-size:90%} .tl-track{position:relative;height:10px;background:#eee}
.tl-bar{position:absolute;height:10px;background:#3b7dd8} .tl-breach{background:#d8453b}
.country{page-break-before:always;break-before:page}
.missing{color:#b00}
table.decisions td{text-align:left;vertical-align:top;font-size:90%}
@media print{body{margin:0}.chart{height:260px;page-break-inside:avoid;break-inside:avoid}}
)CSS";

// Draws the charts; injects become dashed vertical lines (a small plugin of our own).
constexpr const char* kScript = R"JS(
(function(){
var palette=['#3b7dd8','#d8453b','#2e9e4f','#e69f00','#8e44ad','#16a3b8','#7f7f7f','#b8860b','#c2185b','#0b6e4f'];
var injectPlugin={id:'injects',afterDatasetsDraw:function(chart){
  var ms=chart.options.plugins.injects&&chart.options.plugins.injects.markers; if(!ms||!chart.scales.x)return;
  var ctx=chart.ctx,a=chart.chartArea; ctx.save(); ctx.setLineDash([4,3]); ctx.lineWidth=1;
  ms.forEach(function(m){var x=chart.scales.x.getPixelForValue(m.turn); if(x<a.left||x>a.right)return;
    ctx.strokeStyle=m.b?'#a0522d':'#555'; ctx.beginPath(); ctx.moveTo(x,a.top); ctx.lineTo(x,a.bottom); ctx.stroke();});
  ctx.restore();}};
if(typeof Chart==='undefined'){document.querySelectorAll('.chart').forEach(function(e){e.innerHTML='<p class="missing">Charts are not available (Chart.js was not installed when chokepoint was built).</p>';});return;}
Chart.register(injectPlugin);
function line(id,title,unit){
  var ds=DATA.charts[id].map(function(d,i){var c=palette[(d.ci===undefined?i:d.ci)%palette.length];
    return {label:d.label,data:d.data,borderColor:c,backgroundColor:c,borderDash:d.dashed?[6,3]:[],pointRadius:0,borderWidth:1.5,tension:0};});
  new Chart(document.getElementById(id),{type:'line',data:{labels:DATA.labels,datasets:ds},
    options:{animation:false,responsive:true,maintainAspectRatio:false,
      plugins:{title:{display:true,text:title},legend:{labels:{boxWidth:12,font:{size:10}}},injects:{markers:DATA.markers}},
      scales:{y:{title:{display:true,text:unit}}}}});
}
line('chart-leverage','Balance of leverage: exercised (solid) and reserve (dashed)','index 0..1');
line('chart-prices','Prices inside the leading exporter (its sell price) vs elsewhere (mean buy price)','USD/kg');
line('chart-unmet','Unmet demand by sector, all countries','t/turn');
line('chart-defense','Defense unmet demand by country','t/turn');
line('chart-cover','Strategic stockpile cover','turns of consumption');
var sd=DATA.charts['chart-scores'].map(function(d,i){return {label:d.label,data:d.data,backgroundColor:palette[i%palette.length]};});
new Chart(document.getElementById('chart-scores'),{type:'bar',data:{labels:DATA.countries,datasets:sd},
  options:{animation:false,responsive:true,maintainAspectRatio:false,plugins:{title:{display:true,text:'Final scores (total)'}},scales:{y:{min:0,max:1}}}});
DATA.countryCharts.forEach(function(cc){
  var ds=cc.datasets.map(function(d,i){var c=palette[i%palette.length];
    return {label:d.label,data:d.data,borderColor:c,backgroundColor:c,borderDash:d.dashed?[6,3]:[],pointRadius:0,borderWidth:1.5};});
  new Chart(document.getElementById(cc.id),{type:'line',data:{labels:DATA.labels,datasets:ds},
    options:{animation:false,responsive:true,maintainAspectRatio:false,
      plugins:{title:{display:true,text:'Scores of '+cc.name},injects:{markers:DATA.markers}},scales:{y:{min:0,max:1}}}});
});
})();
)JS";

}  // namespace

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string page_head(const std::string& title, const std::string& style) {
    return std::string("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>\n<title>") + html_escape(title) +
           "</title>\n<style>" + kStyle + style + "</style>\n</head><body>\n";
}

std::string render_debrief_html(const DebriefData& a, const DebriefData* b) {
    std::vector<Game> games{{&a, b ? "A " : "", false}};
    if (b) games.push_back({b, "B ", true});
    const DebriefData& longest = (b && b->turns_played > a.turns_played) ? *b : a;

    json data;
    data["labels"] = json::array();
    for (int t = 0; t < longest.turns_played; ++t)
        data["labels"].push_back(std::to_string(t) + (longest.dates[t].empty() ? "" : " " + longest.dates[t]));
    data["countries"] = a.countries;
    data["charts"] = chart_data(games);
    data["markers"] = markers(a, b ? "A " : "");
    if (b)
        for (auto m : markers(*b, "B ")) m["b"] = true, data["markers"].push_back(m);
    data["countryCharts"] = json::array();
    int idx = 0;
    for (const auto& c : a.countries) {
        json cc{{"id", "country-chart-" + std::to_string(idx++)}, {"name", c}, {"datasets", json::array()}};
        for (const auto& g : games)
            for (const char* m : {"score.total", "score.economy", "score.security", "score.influence"})
                cc["datasets"].push_back(dataset(g.tag + m, g.d->metric(c, m), g.dashed));
        data["countryCharts"].push_back(cc);
    }

    std::ostringstream h;
    h << page_head("Debrief — " + a.scenario);
    h << "<h1>Debrief: " << html_escape(a.scenario) << "</h1>\n";
    for (const auto& g : games)
        h << "<p class='meta'>" << html_escape(g.tag.empty() ? "" : "Game " + g.tag) << html_escape(g.d->source)
          << ": seed " << g.d->seed << ", " << g.d->turns_played << " turns"
          << (g.d->dates.empty() ? "" : " from " + html_escape(g.d->dates.front()) + " to " + html_escape(g.d->dates.back()))
          << (b ? (g.dashed ? " (dashed lines)" : " (solid lines)") : "") << ".</p>\n";
    h << "<p class='meta'>Dashed vertical lines mark injects (scripted events and shocks).</p>\n";

    h << "<h2>Results</h2>\n<div class='games'>";
    for (const auto& g : games) {
        h << "<div>";
        score_table(h, *g.d, g.tag);
        h << "</div>";
    }
    h << "</div>\n<div class='chart'><canvas id='chart-scores'></canvas></div>\n";
    h << "<h2>Balance of leverage</h2>\n<div class='chart'><canvas id='chart-leverage'></canvas></div>\n";
    h << "<h2>Prices</h2>\n<div class='chart'><canvas id='chart-prices'></canvas></div>\n";
    h << "<h2>Unmet demand</h2>\n<div class='chart'><canvas id='chart-unmet'></canvas></div>\n"
      << "<div class='chart'><canvas id='chart-defense'></canvas></div>\n";
    h << "<h2>Stockpile cover</h2>\n<div class='chart'><canvas id='chart-cover'></canvas></div>\n";
    h << "<h2>Agreements</h2>\n<div class='games'>";
    for (const auto& g : games) {
        h << "<div>";
        agreement_timeline(h, *g.d, g.tag);
        h << "</div>";
    }
    h << "</div>\n<h2>Injects</h2>\n<ul>";
    for (const auto& g : games)
        for (const auto& e : g.d->events)
            if (is_inject(e.type))
                h << "<li>" << html_escape(g.tag) << "turn " << e.turn << " (" << html_escape(e.date) << ") "
                  << html_escape(e.country) << " " << html_escape(e.text) << "</li>";
    h << "</ul>\n";
    team_decisions(h, games);

    idx = 0;
    for (const auto& c : a.countries) {
        h << "<section class='country'><h2>" << html_escape(c) << "</h2>\n<div class='chart'><canvas id='country-chart-"
          << idx++ << "'></canvas></div>\n<div class='games'>";
        for (const auto& g : games) {
            const auto it = g.d->final_scores.find(c);
            h << "<div><h3>" << html_escape(g.tag) << "Final</h3>";
            if (it != g.d->final_scores.end())
                h << "<p>total " << fmt3(it->second.total) << " (economy " << fmt3(it->second.economy) << ", security "
                  << fmt3(it->second.security) << ", influence " << fmt3(it->second.influence) << ")</p>";
            h << "<ul>";
            for (const auto& e : g.d->events)
                if (e.country == c && e.type != "policy_log" && !e.text.empty())
                    h << "<li>turn " << e.turn << ": " << html_escape(e.type) << " — " << html_escape(e.text) << "</li>";
            h << "</ul></div>";
        }
        h << "</div></section>\n";
    }

    h << "<script>" << chartjs_source() << "</script>\n";
    h << "<script>var DATA=" << script_json(data) << ";" << kScript << "</script>\n</body></html>\n";
    return h.str();
}

}  // namespace chokepoint::report
