// A seat played by people hears the turn's news and is shown its advisor's suggestions before any
// seat decides (browser teams decide at the same time), yet what the advisor logs and issues on
// hearing the news goes into the turn where the policy loop put it before: a game is the same
// whether a country's policy plays it or people play it and decide nothing beyond the news.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <vector>

#include "agents/human_seat.hpp"
#include "agents/lua/lua_policy.hpp"
#include "engine/game/game.hpp"
#include "engine/savegame/state_json.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/support/files.hpp"

namespace chokepoint {
namespace {

// Acts only on the news: a log line per event heard, and a stockpile purchase on the first event of
// each turn. Its on_turn does nothing, so a person who decides nothing plays it exactly.
const char* kListener = R"(
local policy = {}
function policy.on_event(ctx, event)
  ctx:log("heard " .. event.type)
  if (ctx.memory.bought or -1) < ctx.turn then
    ctx.memory.bought = ctx.turn
    ctx:stockpile_buy(ctx:goods()[1].id, 10, 1000)
  end
end
function policy.on_turn(ctx) end
return policy
)";

// A person who decides nothing; keeps the order in which it was advised and asked.
class QuietDesk final : public SeatDesk {
public:
    explicit QuietDesk(CountryId seat) : seat_(seat) {}
    bool is_human(CountryId seat) const override { return seat == seat_; }
    void advise(const SeatRequest& r) override { calls.push_back("advise " + std::to_string(r.turn)); }
    std::optional<std::vector<Command>> await(const SeatRequest& r) override {
        calls.push_back("await " + std::to_string(r.turn));
        return std::vector<Command>{};
    }
    std::vector<std::string> calls;

private:
    CountryId seat_;
};

std::unique_ptr<Game> baseline(int turns) {
    GameOptions o;
    o.measure_leverage = false;
    return std::make_unique<Game>(with_overrides(load_scenario("config/scenarios/baseline.yaml"), {turns, std::nullopt}), o);
}

TEST(HumanSeatNews, AdvisorsNewsEffectsLandWhereThePolicyLoopPutThem) {
    testing::ScratchDir dir("listener");
    const std::string script = (dir / "listener.lua").string();
    std::ofstream(script) << kListener;
    constexpr int kTurns = 5;

    auto played = baseline(kTurns);
    const CountryId usa = played->defs().country_id("usa");
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    played->set_policy(usa, std::make_unique<LuaPolicy>(played->defs(), usa, script, lua));

    auto people = baseline(kTurns);
    QuietDesk desk(usa);
    people->set_policy(usa, std::make_unique<HumanSeat>(desk, std::make_unique<LuaPolicy>(people->defs(), usa, script, lua), usa));

    for (int t = 0; t < kTurns; ++t) {
        played->step();
        people->step();
        const auto& a = played->history().back().events;
        const auto& b = people->history().back().events;
        ASSERT_EQ(a.size(), b.size()) << "turn " << t;
        int heard = 0;
        for (size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].type, b[i].type) << "turn " << t << " event " << i;
            EXPECT_EQ(a[i].country, b[i].country) << "turn " << t << " event " << i;
            EXPECT_EQ(a[i].text, b[i].text) << "turn " << t << " event " << i;
            if (a[i].country == usa && a[i].text.find("heard ") != std::string::npos) ++heard;
        }
        EXPECT_GT(heard, 0) << "turn " << t << ": the listener heard no news, the test shows nothing";
        EXPECT_EQ(state_hash(state_snapshot(played->defs(), played->state())),
                  state_hash(state_snapshot(people->defs(), people->state())))
            << "turn " << t;
    }
    // The USA's stockpile grew: the purchases issued on hearing the news were applied.
    EXPECT_GT(people->state().countries[usa].stockpile[GoodId{0}], 0.0);
    // Advised before it was asked, every turn.
    std::vector<std::string> expected;
    for (int t = 0; t < kTurns; ++t) {
        expected.push_back("advise " + std::to_string(t));
        expected.push_back("await " + std::to_string(t));
    }
    EXPECT_EQ(desk.calls, expected);
}

}  // namespace
}  // namespace chokepoint
