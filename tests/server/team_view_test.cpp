// What one team's browser is sent (server/team_view.cpp, docs/protocol.md §The view), from a
// snapshot of a trio game without a server: the seat's licences (issued and held) and never a
// licence between two other countries; its own instruments' settings; and the commands the team
// page's forms build (assets/web/team.js) read back as the server reads them (command_from_client,
// the game file's form: engine/savegame/command_json) and pass the engine's checks.
#include "server/team_view.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "engine/commands/dispatch.hpp"
#include "engine/game/game.hpp"
#include "server/game_server.hpp"  // command_from_client: a client's command, read as the game file's
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"

namespace chokepoint::server {
namespace {

using nlohmann::json;

// The trio after one turn, East played by a team, with three licences in force: North's to East
// (East's firms hold it), East's to South (East issued it) and North's to South (none of East's
// business); and East's own export duty on magnets to South and export quota on oxide.
struct TeamViewTrio {
    TeamViewTrio() {
        Game g(testing::trio(), GameOptions{false});
        g.step();
        snap = testing::snapshot_of(g);
        const Definitions& d = *snap.defs;
        north = d.country_id("north"), east = d.country_id("east"), south = d.country_id("south");
        magnet = GoodId{d.good_index("magnet")}, oxide = GoodId{d.good_index("oxide")};
        snap.human.assign(d.countries.size(), 0);
        snap.human[east] = 1;
        const int turn = snap.state.turn;
        snap.state.licenses.push_back(licence(901, north, east, oxide, 40.0, turn, turn + 3, true));
        snap.state.licenses.push_back(licence(902, east, south, magnet, 25.0, turn - 1, turn + 2, false));
        snap.state.licenses.push_back(licence(903, north, south, magnet, 70.0, turn, turn + 3, false));
        snap.state.rule(east, magnet, south).duty = 0.15;
        snap.state.rule(north, magnet, south).regime = Regime::Embargo;  // North's, not East's
        snap.state.countries[east].export_quota[oxide] = 500.0;  // t/turn
    }
    static License licence(int id, CountryId exporter, CountryId importer, GoodId good, double tonnes, int first,
                           int last, bool civilian_only) {
        License l;
        l.id = id;
        l.exporter = exporter, l.importer = importer;
        l.good = good;
        l.tonnes_per_turn = tonnes;
        l.first_turn = first, l.last_turn = last;
        l.civilian_only = civilian_only;
        return l;
    }
    json view_of(CountryId seat) const { return team_view(snap, seat, std::chrono::steady_clock::now()); }

    view::Snapshot snap;
    CountryId north{}, east{}, south{};
    GoodId magnet{}, oxide{};
};

const json* licence_in(const json& view, int id) {
    for (const json& l : view["licensing"]["licenses"])
        if (l["id"] == id) return &l;
    return nullptr;
}

TEST(TeamView, ListsTheSeatsLicencesIssuedAndHeldAndNeverAnotherPairs) {
    const TeamViewTrio t;
    const json v = t.view_of(t.east);
    ASSERT_EQ(v["licensing"]["licenses"].size(), 2u) << v["licensing"].dump(1);
    const json* held = licence_in(v, 901);
    ASSERT_NE(held, nullptr);
    EXPECT_EQ((*held)["exporter"], "north");
    EXPECT_EQ((*held)["importer"], "east");
    EXPECT_EQ((*held)["good"], "oxide");
    EXPECT_DOUBLE_EQ((*held)["tonnes_per_turn"].get<double>(), 40.0);
    EXPECT_EQ((*held)["civilian_only"], true);
    EXPECT_EQ((*held)["issued"], false);
    EXPECT_EQ((*held)["turns_left"], 4);
    const json* issued = licence_in(v, 902);
    ASSERT_NE(issued, nullptr);
    EXPECT_EQ((*issued)["issued"], true);
    EXPECT_EQ((*issued)["importer"], "south");
    EXPECT_EQ((*issued)["valid_until"], t.snap.defs->date_of_turn(t.snap.state.turn + 2));
    EXPECT_EQ(licence_in(v, 903), nullptr);  // North → South: not East's to know
    // Nowhere in the message: no other field carries it either.
    EXPECT_EQ(v.dump().find("\"id\":903"), std::string::npos);

    // South, party to 902 and 903, sees both as held, and North's view none of East's issued one.
    const json s = t.view_of(t.south);
    EXPECT_NE(licence_in(s, 902), nullptr);
    EXPECT_NE(licence_in(s, 903), nullptr);
    EXPECT_EQ(licence_in(s, 901), nullptr);
    EXPECT_EQ(licence_in(t.view_of(t.north), 902), nullptr);
}

// A seat deciding sees its own advisor's suggestions whether or not the game is waiting on it (the
// teams decide at the same time), never another seat's, and none once its decisions are in.
TEST(TeamView, ShowsTheSeatsAdviceWhileItDecidesNotOnlyWhenTheGameWaitsOnIt) {
    TeamViewTrio t;
    t.snap.human[t.south] = 1;
    t.snap.computing = true;
    t.snap.deciding_turn = t.snap.state.turn;
    t.snap.sent.assign(t.snap.defs->countries.size(), 0);
    t.snap.advice.assign(t.snap.defs->countries.size(), nullptr);
    t.snap.advice[t.east] = std::make_shared<const view::Snapshot::Advice>(view::Snapshot::Advice{
        t.snap.state.turn, {StockpileBuy{t.magnet, 30.0, 90000.0}}, {"buy 30 t of magnets"}});
    t.snap.advice[t.south] = std::make_shared<const view::Snapshot::Advice>(view::Snapshot::Advice{
        t.snap.state.turn, {StockpileBuy{t.oxide, 5.0, 60000.0}}, {"south's own"}});
    ASSERT_FALSE(t.snap.waiting) << "the game waits on no seat";
    const json v = t.view_of(t.east);
    EXPECT_EQ(v["seat"]["phase"], "deciding");
    ASSERT_TRUE(v.contains("advice"));
    ASSERT_EQ(v["advice"].size(), 1u);
    EXPECT_EQ(v["advice"][0]["text"], "buy 30 t of magnets");
    EXPECT_EQ(v["advice"][0]["command"]["command"], "stockpile_buy");
    EXPECT_EQ(v["advice"][0]["command"]["tonnes"], 30.0);
    t.snap.sent[t.east] = 1;
    EXPECT_FALSE(t.view_of(t.east).contains("advice")) << "its decisions are in";
    t.snap.advice[t.east] = std::make_shared<const view::Snapshot::Advice>(
        view::Snapshot::Advice{t.snap.state.turn - 1, {}, {}});
    t.snap.sent[t.east] = 0;
    EXPECT_FALSE(t.view_of(t.east).contains("advice")) << "last turn's advice is not this turn's";
}

TEST(TeamView, ShowsTheSeatsOwnInstrumentSettingsOnly) {
    const TeamViewTrio t;
    const json policy = t.view_of(t.east)["country"]["policy"];
    ASSERT_EQ(policy["export_rules"].size(), 1u) << policy.dump(1);  // North's embargo is North's
    EXPECT_EQ(policy["export_rules"][0]["destination"], "south");
    EXPECT_EQ(policy["export_rules"][0]["regime"], "open");
    EXPECT_DOUBLE_EQ(policy["export_rules"][0]["duty"].get<double>(), 0.15);
    for (const json& g : policy["goods"]) {
        if (g["good"] == "oxide") {
            EXPECT_DOUBLE_EQ(g["export_quota_t_per_year"].get<double>(), 2000.0);  // 500 t a quarter
        } else {
            EXPECT_FALSE(g.contains("export_quota_t_per_year")) << g.dump();
        }
    }
    const json goods = t.view_of(t.east)["goods"];
    EXPECT_EQ(goods[t.magnet.value()]["defense"], true);  // the trio's defense sector uses magnets
    EXPECT_EQ(goods[t.oxide.value()]["defense"], false);
    const json investment = t.view_of(t.east)["country"]["investment"];
    ASSERT_EQ(investment.size(), t.snap.defs->goods.size());
    EXPECT_GT(investment[0]["capex_usd_per_tpy"].get<double>(), 0.0);
}

TEST(TeamView, CommandsAsTheTeamPageBuildsThemParseAndPassTheEnginesChecks) {
    const TeamViewTrio t;
    const Definitions& d = *t.snap.defs;
    const int magnet = t.magnet.value(), south = t.south.value();
    // The JSON of assets/web/team.js's instrumentCommand and revokeCommand, as sent in "decisions".
    const json accepted[] = {
        {{"command", "revoke_license"}, {"license_id", 902}},
        {{"command", "set_export_duty"}, {"good", magnet}, {"destination", -1}, {"rate", 0.25}},
        {{"command", "set_export_duty"}, {"good", magnet}, {"destination", south}, {"rate", 0.1}},
        {{"command", "set_tariff"}, {"good", magnet}, {"origin", south}, {"rate", 0.05}},
        {{"command", "set_production_quota"}, {"good", magnet}, {"tonnes_per_year", "inf"}},
        {{"command", "set_export_quota"}, {"good", magnet}, {"tonnes_per_year", 1200}},
        {{"command", "set_subsidy"}, {"good", magnet}, {"usd_per_tonne", 5000}},
        {{"command", "set_price_floor"}, {"good", magnet}, {"usd_per_tonne", 0}},
        {{"command", "set_defense_priority"}, {"good", magnet}, {"on", true}},
        {{"command", "start_project"}, {"host", -1}, {"good", magnet}, {"tonnes_per_year", 100}, {"output_share", 0}},
    };
    for (const json& j : accepted) {
        Command c;
        ASSERT_NO_THROW(c = command_from_client(j)) << j.dump();
        const CommandResult r = validate_command(d, t.snap.state, t.east, c);
        EXPECT_TRUE(r.ok) << j.dump() << ": " << r.message;
    }
    const Command revoke = command_from_client(accepted[0]);
    ASSERT_TRUE(std::holds_alternative<RevokeLicense>(revoke));
    EXPECT_EQ(std::get<RevokeLicense>(revoke).license_id, 902);
    const Command duty = command_from_client(accepted[1]);
    ASSERT_TRUE(std::holds_alternative<SetExportDuty>(duty));
    EXPECT_FALSE(std::get<SetExportDuty>(duty).destination.has_value());  // -1: every destination
    EXPECT_DOUBLE_EQ(std::get<SetExportDuty>(duty).rate, 0.25);

    // A licence the seat did not issue is not its to revoke; a withdrawal names an agreement.
    const Command not_ours = command_from_client({{"command", "revoke_license"}, {"license_id", 901}});
    EXPECT_FALSE(validate_command(d, t.snap.state, t.east, not_ours).ok);
    const Command withdraw = command_from_client({{"command", "withdraw"}, {"agreement_id", 7}, {"note", "no longer"}});
    EXPECT_FALSE(validate_command(d, t.snap.state, t.east, withdraw).ok);  // there is no agreement 7
}

}  // namespace
}  // namespace chokepoint::server
