// The browser seats' server over loopback (docs/protocol.md): the team page, joining, what a seat
// may read and do, a game played from two "browsers", bad messages, reconnecting and kicks.
#include <gtest/gtest.h>

#include <set>

#include "engine/savegame/command_json.hpp"
#include "engine/savegame/game_file.hpp"
#include "server/game_server.hpp"
#include "server/seat_access.hpp"
#include "tests/server/client.hpp"
#include "tests/server/served.hpp"
#include "tests/support/files.hpp"
#include "tests/view/session_wait.hpp"

namespace chokepoint::server {
namespace {

using nlohmann::json;
using testing::WsClient;
using verb = boost::beast::http::verb;

using testing::Served;

bool is_view(const json& m) { return m.is_object() && m.value("type", "") == "view"; }

// The next view in which the seat is asked for its decisions (or the game is over).
json deciding(WsClient& c, const std::function<void(const json&)>& seen = {}) {
    return c.next_where(
        [](const json& m) {
            return is_view(m) && (m["seat"]["phase"] == "deciding" || m["seat"]["phase"] == "finished");
        },
        seen);
}

json reply(WsClient& c) {
    return c.next_where([](const json& m) { return !is_view(m); });
}

TEST(ServerHttp, ServesTheTeamPageAndNothingOutsideItsFolder) {
    Served s;
    const auto page = testing::http(s.port(), verb::get, "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Join your team's seat"), std::string::npos);
    EXPECT_EQ(testing::http(s.port(), verb::get, "/web/team.js").status, 200);
    const auto land = testing::http(s.port(), verb::get, "/map/land.txt");  // the map's coastlines
    EXPECT_EQ(land.status, 200);
    EXPECT_NE(land.body.find("ring "), std::string::npos);
    EXPECT_EQ(testing::http(s.port(), verb::get, "/web/../CMakeLists.txt").status, 404);
    EXPECT_EQ(testing::http(s.port(), verb::get, "/web/..%2F..%2FCMakeLists.txt").status, 404);
    EXPECT_EQ(testing::http(s.port(), verb::get, "/web/.hidden").status, 404);
    EXPECT_EQ(testing::http(s.port(), verb::get, "/nothing").status, 404);
}

TEST(ServerAccess, WrongCodesAreRefusedThenTheAddressIsRateLimited) {
    Served s;
    const std::string wrong = s.access.code("east") == "AAAAAA" ? "BBBBBB" : "AAAAAA";
    for (int i = 0; i < SeatAccess::kMaxFailures; ++i) {
        const auto r = testing::http(s.port(), verb::post, "/api/join", json{{"code", wrong}}.dump());
        EXPECT_EQ(r.status, 403) << r.body;
    }
    const auto limited = testing::http(s.port(), verb::post, "/api/join", json{{"code", s.access.code("east")}}.dump());
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_GT(limited.json().value("retry_after", 0.0), 0.0);
    EXPECT_EQ(testing::http(s.port(), verb::post, "/api/join", "{not json").status, 400);
}

TEST(ServerAccess, ATokenReadsAndActsForItsOwnSeatOnly) {
    Served s;
    EXPECT_EQ(testing::http(s.port(), verb::get, "/api/view").status, 401);
    EXPECT_EQ(testing::http(s.port(), verb::get, "/api/view", "", "0123456789abcdef0123456789abcdef").status, 401);
    const std::string east = s.token("east");
    const auto own = testing::http(s.port(), verb::get, "/api/view", "", east);
    ASSERT_EQ(own.status, 200);
    EXPECT_EQ(own.json()["seat"]["id"], "east");
    const auto other = testing::http(s.port(), verb::post, "/api/seats/south/decisions",
                                     json{{"turn", 0}, {"commands", json::array()}}.dump(), east);
    EXPECT_EQ(other.status, 403) << other.body;
    // A WebSocket without a valid token is refused at the handshake.
    EXPECT_THROW(WsClient(s.port(), "not-a-token"), boost::system::system_error);
}

// A hostile client's commands: values outside an enum, numbers past an int, ids that name nothing.
// Each is refused with a reason, and the server answers the next request (an out-of-range clause
// kind used to give a refusal that was not UTF-8, which ended the server's process).
TEST(ServerProtocol, HostileCommandsAreRefusedWithAReasonAndTheServerGoesOn) {
    Served s;
    const std::string east = s.token("east");
    const auto snap = testing::until(s.session, [](const view::Snapshot& x) { return x.deciding_turn >= 0 && x.computing; });
    const int turn = snap->deciding_turn;
    const json hostile[] = {
        {{"command", "set_export_regime"}, {"good", 0}, {"regime", 99}},
        {{"command", "set_export_regime"}, {"good", 0}, {"regime", -1}},
        {{"command", "propose"}, {"to", {1}}, {"clauses", {{{"kind", 99}}}}},
        {{"command", "propose"}, {"to", {1}}, {"clauses", {{{"kind", 5}, {"regime", 7}}}}},
        {{"command", "respond"}, {"proposal_id", 1}, {"answer", 7}},
        {{"command", "decide_license"}, {"application_id", 1}, {"decision", 9}},
        {{"command", "stockpile_buy"}, {"good", 4294967296LL}, {"tonnes", 5}, {"max_price", 1}},
        {{"command", "stockpile_buy"}, {"good", -5}, {"tonnes", 5}, {"max_price", 1}},
        {{"command", "set_tariff"}, {"good", 0}, {"origin", 77}, {"rate", 0.5}},
        {{"command", "set_subsidy"}, {"good", 0}, {"usd_per_tonne", "nan"}},
        {{"command", "withdraw"}, {"agreement_id", -1}},
    };
    for (const json& c : hostile) {
        const auto r = testing::http(s.port(), verb::post, "/api/seats/east/decisions",
                                     json{{"turn", turn}, {"commands", {c}}}.dump(), east);
        EXPECT_EQ(r.status, 409) << c << " -> " << r.body;
        EXPECT_EQ(r.json().value("type", ""), "error") << c << " -> " << r.body;
        EXPECT_FALSE(r.json().value("message", "").empty()) << c;
    }
    EXPECT_EQ(testing::http(s.port(), verb::get, "/api/view", "", east).status, 200);
    // Nothing was taken: east may still send its decisions for the turn.
    const auto fine = testing::http(s.port(), verb::post, "/api/seats/east/decisions",
                                    json{{"turn", turn}, {"commands", json::array()}}.dump(), east);
    EXPECT_EQ(fine.status, 200) << fine.body;
}

// Everything a seat's browser receives in a whole game: its own country's private side and no one
// else's; decisions from both browsers play the game; the game file keeps them.
TEST(ServerProtocol, TwoTeamsPlayAGameFromBrowsersSeeingOnlyWhatTheirCountryMayKnow) {
    testing::ScratchDir dir("serve");
    const std::string file = (dir.path() / "game.ckp").string();
    {
        Served s(file, 3);
        WsClient east(s.port(), s.token("east")), south(s.port(), s.token("south"));
        int views = 0;
        const auto check_east = [&](const json& m) {
            if (!is_view(m)) return;
            ++views;
            EXPECT_EQ(m["seat"]["id"], "east");
            EXPECT_EQ(m["country"]["id"], "east");  // the only private card is East's own
            for (const auto& c : m["countries"]) EXPECT_FALSE(c.contains("stocks") || c.contains("treasury_musd")) << c;
            for (const auto& p : m["diplomacy"]["pending"]) EXPECT_TRUE(p["from"] == "east" || p["to"] == "east") << p;
            for (const auto& c : m["map"]["countries"]) {
                if (c["id"] != "east") {
                    EXPECT_FALSE(c.contains("cover_alarm")) << c;  // others' cover is private
                }
            }
            for (const auto& a : m["licensing"]["applications"])
                EXPECT_TRUE(a["importer"] == "east" || a["exporter"] == "east") << a;
            if (m.contains("advice")) {
                EXPECT_EQ(m["seat"]["phase"], "deciding");
            }
        };
        for (int turn = 0; turn < 3; ++turn) {
            json ev = deciding(east, check_east), sv = deciding(south);
            ASSERT_FALSE(ev.is_null()) << east.error().message();
            ASSERT_EQ(ev["seat"]["deciding_turn"], turn);
            ASSERT_EQ(sv["seat"]["deciding_turn"], turn);
            east.send(json{{"type", "decisions"},
                           {"turn", turn},
                           {"commands", json::array({{{"command", "stockpile_buy"}, {"good", 1}, {"tonnes", 10.0}, {"max_price", 200000.0}}})}});
            EXPECT_EQ(reply(east)["type"], "ack");
            south.send(json{{"type", "decisions"}, {"turn", turn}, {"commands", json::array()}});
            EXPECT_EQ(reply(south)["type"], "ack");
        }
        const json last = deciding(east, check_east);
        EXPECT_EQ(last["seat"]["phase"], "finished");
        EXPECT_GT(views, 3);
        s.server.stop();
        s.session.finish();
    }
    const auto turns = GameFile::open(file).turns(false);
    ASSERT_EQ(turns.size(), 3u);
    for (const auto& t : turns) {
        bool east_bought = false;
        for (const auto& [seat, decisions] : t.decisions)
            if (seat == "east" && decisions.dump().find("stockpile_buy") != std::string::npos) east_bought = true;
        EXPECT_TRUE(east_bought) << "turn " << t.turn;
    }
}

TEST(ServerProtocol, MalformedRefusedAndOversizedMessagesGetAnErrorAndCloseNothingElse) {
    Served s;
    WsClient east(s.port(), s.token("east")), south(s.port(), s.token("south"));
    ASSERT_FALSE(deciding(east).is_null());
    east.send(std::string("not json"));
    EXPECT_EQ(reply(east)["type"], "error");
    east.send(json{{"type", "launch_missiles"}});
    EXPECT_EQ(reply(east)["type"], "error");
    east.send(json{{"type", "decisions"}, {"turn", 0}, {"commands", json::array({{{"command", "stockpile_buy"}, {"good", 99}}})}});
    const json refused = reply(east);
    EXPECT_EQ(refused["type"], "error");
    EXPECT_NE(refused["message"].get<std::string>().find("refused"), std::string::npos) << refused;
    east.send(json{{"type", "decisions"}, {"turn", 7}, {"commands", json::array()}});
    const json late = reply(east);
    EXPECT_EQ(late["type"], "error");
    EXPECT_NE(late["message"].get<std::string>().find("turn 7 is not being decided now (turns are 0-based; turn 0 is)"),
              std::string::npos)
        << late;
    // A turn past int's range does not wrap onto the turn being decided.
    east.send(json{{"type", "decisions"}, {"turn", 4294967296LL}, {"commands", json::array()}});
    EXPECT_EQ(reply(east)["type"], "error");
    // A good given as 1.7 is not read as good 1.
    east.send(json{{"type", "decisions"}, {"turn", 0},
                   {"commands", json::array({{{"command", "stockpile_buy"}, {"good", 1.7}, {"tonnes", 10}}})}});
    const json fractional = reply(east);
    EXPECT_EQ(fractional["type"], "error");
    EXPECT_NE(fractional["message"].get<std::string>().find("\"good\" must be a whole number, got 1.7"), std::string::npos)
        << fractional;
    east.send(json{{"type", "ping"}});
    EXPECT_EQ(reply(east)["type"], "pong");  // still open after six bad messages
    // Over the 64 KiB limit: this connection is closed, the other seat's is not.
    east.send(std::string(100 * 1024, 'x'));
    EXPECT_TRUE(east.next_where([](const json&) { return false; }).is_null());
    south.send(json{{"type", "ping"}});
    EXPECT_EQ(reply(south)["type"], "pong");
    // And a new connection of East works.
    WsClient again(s.port(), s.token("east"));
    EXPECT_TRUE(is_view(again.next()));
}

TEST(ServerProtocol, ATeamThatReconnectsFindsItsDecisionsKeptByTheServer) {
    Served s;
    const std::string token = s.token("east");
    {
        WsClient east(s.port(), token);
        const json v = deciding(east);
        ASSERT_EQ(v["seat"]["deciding_turn"], 0);
        east.send(json{{"type", "decisions"}, {"turn", 0}, {"commands", json::array()}});
        EXPECT_EQ(reply(east)["type"], "ack");
        east.close();  // the Wi-Fi drops
    }
    WsClient back(s.port(), token);
    const json v = back.next_where(is_view);
    EXPECT_EQ(v["seat"]["deciding_turn"], 0);
    EXPECT_EQ(v["seat"]["phase"], "sent");
    back.send(json{{"type", "decisions"}, {"turn", 0}, {"commands", json::array()}});
    EXPECT_EQ(reply(back)["type"], "error");  // already in: not decided twice
}

TEST(ServerProtocol, AKickedSeatsBrowsersAreToldAndItsTokenStopsWorking) {
    Served s;
    const std::string token = s.token("east");
    WsClient east(s.port(), token);
    ASSERT_TRUE(is_view(east.next()));
    s.access.kick("east");
    s.server.disconnect("east");
    const json kicked = east.next_where([](const json& m) { return m.value("type", "") == "kicked"; });
    EXPECT_EQ(kicked.value("type", ""), "kicked");
    EXPECT_EQ(testing::http(s.port(), verb::get, "/api/view", "", token).status, 401);
    EXPECT_FALSE(s.token("east").empty());  // the new code works
}

TEST(ServerCommands, AClientsCommandKeepsDefaultsRefusesUnknownFieldsAndCannotBeScripted) {
    const Command c = command_from_client({{"command", "decide_license"}, {"application_id", 4}, {"scripted", true}});
    const auto& d = std::get<DecideLicense>(c);
    EXPECT_EQ(d.application_id, 4);
    EXPECT_EQ(d.decision, LicenseDecisionKind::Approve);
    EXPECT_EQ(d.validity_turns, 4);
    EXPECT_FALSE(d.scripted);
    // Left out, a licence's validity is a year of the game's turns; given, it is taken as it is.
    Definitions monthly;
    monthly.turn_months = 1;
    const json approve = {{"command", "decide_license"}, {"application_id", 4}};
    EXPECT_EQ(std::get<DecideLicense>(command_from_client(approve, Definitions{})).validity_turns, 4);
    EXPECT_EQ(std::get<DecideLicense>(command_from_client(approve, monthly)).validity_turns, 12);
    json given = approve;
    given["validity_turns"] = 2;
    EXPECT_EQ(std::get<DecideLicense>(command_from_client(given, monthly)).validity_turns, 2);
    EXPECT_THROW(command_from_client({{"command", "stockpile_buy"}, {"colour", 1}}), std::invalid_argument);
    EXPECT_THROW(command_from_client({{"command", "nuke"}}), std::invalid_argument);
    EXPECT_THROW(command_from_client({{"command", "stockpile_buy"}, {"tonnes", "many"}}), std::invalid_argument);
    EXPECT_THROW(command_from_client(json::array()), std::invalid_argument);
    // A proposal's clauses: the fields left out keep Clause's defaults; an unknown one is refused.
    const Command p = command_from_client({{"command", "propose"},
                                           {"to", json::array({2})},
                                           {"clauses", json::array({{{"kind", 5}, {"from", 1}, {"to", -2}, {"usd", 1e7}}})}});
    const auto& propose = std::get<Propose>(p);
    ASSERT_EQ(propose.clauses.size(), 1u);
    EXPECT_EQ(propose.clauses[0].kind, ClauseKind::Payment);
    EXPECT_EQ(propose.clauses[0].usd, 1e7);
    EXPECT_FALSE(propose.clauses[0].good.has_value());
    EXPECT_EQ(propose.turns, 4);
    EXPECT_THROW(command_from_client({{"command", "propose"}, {"clauses", json::array({{{"flavour", 1}}})}}),
                 std::invalid_argument);
}

TEST(SessionSubmit, DecisionsAreTakenOncePerSeatForTheTurnBeingDecidedOnly) {
    view::Session s(testing::trio_session({"east", "south"}));
    s.set_seconds_per_turn(0);
    s.play();
    const auto snap = testing::until(s, [](const view::Snapshot& x) { return x.waiting.has_value(); });
    const int turn = snap->deciding_turn;
    ASSERT_EQ(turn, 0);
    const CountryId east = snap->defs->country_id("east"), south = snap->defs->country_id("south"),
                    north = snap->defs->country_id("north");
    EXPECT_FALSE(s.submit(east, turn + 1, {}));   // not the turn being decided
    EXPECT_FALSE(s.submit(north, turn, {}));      // not played by people
    EXPECT_TRUE(s.submit(east, turn, {}));
    EXPECT_FALSE(s.submit(east, turn, {}));       // already in
    EXPECT_TRUE(s.submit(south, turn, {}));
    const auto next = testing::until(s, [](const view::Snapshot& x) { return x.deciding_turn == 1; });
    EXPECT_EQ(next->history.size(), 1u);
    s.finish();
}

// A team's decisions are in the game file the moment they are sent: the facilitator's process
// stopping before the turn is played (a crash, a power cut) loses none, and the game opened again
// from its file still has them.
TEST(SessionSubmit, DecisionsSentBeforeTheTurnIsPlayedSurviveTheProcessInTheGameFile) {
    testing::ScratchDir dir("sent");
    const std::string file = (dir.path() / "class.ckp").string();
    const StockpileBuy order{GoodId{0}, 12.0, 1e9};
    {
        view::Session s(testing::trio_session({"east", "south"}, file));
        s.set_seconds_per_turn(0);
        s.play();
        // South is asked first (north is the computer's); east decides before the game reaches it.
        const auto snap = testing::until(s, [](const view::Snapshot& x) { return x.waiting.has_value(); });
        const CountryId east = snap->defs->country_id("east");
        ASSERT_NE(snap->waiting->seat, east);
        ASSERT_TRUE(s.submit(east, snap->deciding_turn, {order}));
        const auto sent = GameFile::open(file).sent_decisions(0);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(sent[0].first, "east");
        s.finish();  // south never decides: turn 1 is not played, nor saved
    }
    ASSERT_EQ(GameFile::open(file).turns_saved(), 0);

    auto o = testing::trio_session({"east", "south"});
    o.load = file;
    view::Session again(o);
    const auto opened = again.snapshot();
    const CountryId east = opened->defs->country_id("east"), south = opened->defs->country_id("south");
    EXPECT_TRUE(opened->sent[east]) << "east's decisions were not restored";
    EXPECT_FALSE(opened->sent[south]);
    EXPECT_FALSE(again.submit(east, 0, {})) << "east could send a second time";
    again.set_seconds_per_turn(0);
    again.play();
    const auto waiting = testing::until(again, [](const view::Snapshot& x) { return x.waiting.has_value(); });
    EXPECT_EQ(waiting->waiting->seat, south) << "the game asked east again";
    ASSERT_TRUE(again.submit(south, 0, {}));
    testing::until(again, [](const view::Snapshot& x) { return !x.history.empty(); });  // saved before it is published
    again.finish();

    const GameFile saved = GameFile::open(file);
    ASSERT_EQ(saved.turns_saved(), 1);
    EXPECT_TRUE(saved.sent_decisions(0).empty()) << "the played turn's sent decisions were left behind";
    const auto turns = saved.turns(false);
    bool found = false;
    for (const auto& [country, row] : turns[0].decisions)
        if (country == "east") {
            const auto commands = decisions_from_json(row);
            ASSERT_TRUE(commands.has_value());
            ASSERT_EQ(commands->size(), 1u);
            EXPECT_EQ(std::get<StockpileBuy>(commands->front()), order);
            found = true;
        }
    EXPECT_TRUE(found) << "east's order is not in the turn's journal";
}

}  // namespace
}  // namespace chokepoint::server

namespace chokepoint::server {
namespace {

// The negotiation phase from browsers: a seat asked to speak says it is done; the decisions follow.
TEST(ServerProtocol, TeamsSpeakInTheNegotiationRoundsThenDecide) {
    view::SessionOptions o = testing::trio_session({"east", "south"});
    o.talk_minutes = 5.0;
    view::Session session(o);
    SeatAccess access({"east", "south"});
    GameServer server(session, access, Served::options());
    session.set_seconds_per_turn(0);
    session.play();
    WsClient east(server.port(), testing::join(server.port(), access.code("east")));
    WsClient south(server.port(), testing::join(server.port(), access.code("south")));
    std::set<std::string> spoke;
    // Seats are asked in turn (again in a later round only if a proposal reached them) until the
    // decisions begin. Out of turn, saying something is refused; so are decisions said as words.
    for (int asked = 0; asked < 10; ++asked) {
        const auto snap = testing::until(session, [](const view::Snapshot& x) { return x.talking || x.waiting; });
        if (!snap->talking) break;
        const std::string seat = snap->defs->countries[snap->talking->seat].id;
        WsClient& c = seat == "east" ? east : south;
        WsClient& other = seat == "east" ? south : east;
        const json v = c.next_where([](const json& m) { return is_view(m) && m["seat"]["phase"] == "talking"; });
        ASSERT_FALSE(v.is_null());
        EXPECT_TRUE(v.contains("clock"));
        EXPECT_TRUE(v.contains("talk"));
        if (!spoke.count(seat)) {
            other.send(json{{"type", "say"}, {"commands", json::array()}, {"done", true}});
            EXPECT_EQ(reply(other)["type"], "error");
            c.send(json{{"type", "say"}, {"commands", json::array({{{"command", "stockpile_buy"}, {"good", 1}, {"tonnes", 1.0}}})}});
            EXPECT_EQ(reply(c)["type"], "error");
        }
        c.send(json{{"type", "say"}, {"commands", json::array()}, {"done", true}});
        EXPECT_EQ(reply(c)["type"], "ack");
        spoke.insert(seat);
        testing::until(session, [&](const view::Snapshot& x) { return !x.talking || x.talking->seat != snap->talking->seat || x.talking->round != snap->talking->round; });
    }
    EXPECT_EQ(spoke.size(), 2u);
    EXPECT_EQ(deciding(east)["seat"]["phase"], "deciding");
    server.stop();
    session.finish();
}

}  // namespace
}  // namespace chokepoint::server

namespace chokepoint::server {
namespace {

// A proposal written in one browser reaches the other as a deal (who gives what, in words); its
// acceptance there makes an agreement both see.
TEST(ServerProtocol, AProposalFromOneBrowserReachesTheOtherAsADealAndItsAcceptanceAnAgreement) {
    Served s("", 3);
    WsClient east(s.port(), s.token("east")), south(s.port(), s.token("south"));
    const json first = deciding(east);
    ASSERT_FALSE(first.is_null());
    int east_index = -1, south_index = -1;
    for (std::size_t i = 0; i < first["countries"].size(); ++i) {
        if (first["countries"][i]["id"] == "east") east_index = static_cast<int>(i);
        if (first["countries"][i]["id"] == "south") south_index = static_cast<int>(i);
    }
    east.send(json{{"type", "decisions"},
                   {"turn", 0},
                   {"commands", json::array({{{"command", "propose"},
                                              {"to", json::array({south_index})},
                                              {"clauses", json::array({{{"kind", 5}, {"from", east_index}, {"to", -2}, {"usd", 1e7}}})},
                                              {"note", "a start"}}})}});
    EXPECT_EQ(reply(east)["type"], "ack");
    ASSERT_FALSE(deciding(south).is_null());
    south.send(json{{"type", "decisions"}, {"turn", 0}, {"commands", json::array()}});
    EXPECT_EQ(reply(south)["type"], "ack");

    const json offer = south.next_where([](const json& m) {
        return is_view(m) && m["seat"]["phase"] == "deciding" && m["seat"]["deciding_turn"] == 1;
    });
    ASSERT_EQ(offer["diplomacy"]["pending"].size(), 1u) << offer["diplomacy"];
    const json p = offer["diplomacy"]["pending"][0];
    EXPECT_EQ(p["from"], "east");
    EXPECT_EQ(p["note"], "a start");
    ASSERT_TRUE(p["deal"].is_object());
    EXPECT_NE(p["deal"]["proposer_gives"].dump().find("$10.0M"), std::string::npos) << p["deal"];
    south.send(json{{"type", "decisions"},
                    {"turn", 1},
                    {"commands", json::array({{{"command", "respond"}, {"proposal_id", p["id"]}, {"answer", 0}}})}});
    EXPECT_EQ(reply(south)["type"], "ack");
    ASSERT_FALSE(deciding(east).is_null());
    east.send(json{{"type", "decisions"}, {"turn", 1}, {"commands", json::array()}});
    EXPECT_EQ(reply(east)["type"], "ack");
    const json after = east.next_where([](const json& m) {
        return is_view(m) && m["seat"]["phase"] == "deciding" && m["seat"]["deciding_turn"] == 2;
    });
    ASSERT_EQ(after["diplomacy"]["agreements"].size(), 1u) << after["diplomacy"];
    EXPECT_EQ(after["diplomacy"]["agreements"][0]["acceptor"], "south");
}

}  // namespace
}  // namespace chokepoint::server
