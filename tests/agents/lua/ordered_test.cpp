// pairs and next in the sandbox visit keys in a fixed order, whatever the
// state's (randomly seeded) string hashes — so policies stay deterministic.
#include <gtest/gtest.h>

#include <memory>

#include "tests/agents/lua/lua_test_util.hpp"

namespace chokepoint::lua::tests {
namespace {

const char* kTraverse = R"(
    local t = {}
    for i = 1, 60 do t["k" .. (i * 7919) % 1000] = i end
    t[3] = "three"; t[1] = "one"; t[2.5] = "x"; t[true] = "yes"; t[false] = "no"
    local out = {}
    for k in pairs(t) do out[#out + 1] = tostring(k) end
    local via_next, k = {}, next(t)
    while k ~= nil do via_next[#via_next + 1] = tostring(k); k = next(t, k) end
    return table.concat(out, ",") .. "|" .. table.concat(via_next, ","))";

TEST(OrderedTraversal, PairsAndNextVisitKeysInTheSameFixedOrderInEveryState) {
    std::string first;
    for (int i = 0; i < 8; ++i) {
        auto p = std::make_unique<Policy>();  // each state has its own hash seed
        std::string got = p->run(kTraverse);
        if (i == 0)
            first = got;
        else
            EXPECT_EQ(got, first);
    }
    // Numbers first, ascending; then strings bytewise; then false, true. next agrees with pairs.
    EXPECT_EQ(first.rfind("1,2.5,3,k109,k112,", 0), 0u) << first;
    auto bar = first.find('|');
    ASSERT_NE(bar, std::string::npos);
    EXPECT_EQ(first.substr(0, bar), first.substr(bar + 1));
    EXPECT_NE(first.find(",false,true|"), std::string::npos) << first;
}

TEST(OrderedTraversal, KeysRemovedDuringTraversalAreSkippedAndMetamethodsHonoured) {
    Policy p;
    EXPECT_EQ(p.run(R"(
        local t = {a = 1, b = 2, c = 3}
        local seen = {}
        for k in pairs(t) do seen[#seen + 1] = k; t.b = nil end
        local proxy = setmetatable({}, {__pairs = function() return function(_, k) if not k then return 1, "x" end end, nil, nil end})
        local n = 0
        for _ in pairs(proxy) do n = n + 1 end
        return table.concat(seen, ",") .. " " .. n)"),
              "a,c 1");
    EXPECT_NE(p.run("return next({}, 'missing')").find("invalid key to 'next'"), std::string::npos);
}

}  // namespace
}  // namespace chokepoint::lua::tests
