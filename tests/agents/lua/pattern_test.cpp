// Our pattern matcher against the real Lua 5.4 string library: each case runs with F = string
// and with F = ours in one plain state, and the results (or error messages) must be equal.
#include "agents/lua/pattern.hpp"

#include <gtest/gtest.h>

#include <lua.hpp>
#include <string>

namespace chokepoint::lua {
namespace {

class RealLibrary : public ::testing::Test {
protected:
    void SetUp() override {
        L = luaL_newstate();
        luaL_openlibs(L);
        lua_newtable(L);
        register_patterns(L, -1, nullptr);
        lua_setglobal(L, "ours");
        // Renders every result (type and value) or the error, to compare two runs exactly.
        const char* helper = R"(
            function render(F, expr)
                local chunk = assert(load("local F = ...; return " .. expr))
                local packed = table.pack(pcall(chunk, F))
                local out = {}
                for i = 1, packed.n do out[#out + 1] = math.type(packed[i]) or type(packed[i]); out[#out + 1] = tostring(packed[i]) end
                return table.concat(out, " ")
            end)";
        if (luaL_dostring(L, helper) != LUA_OK) ADD_FAILURE() << lua_tostring(L, -1);
    }
    void TearDown() override { lua_close(L); }

    std::string render(const char* lib, const std::string& expr) {
        lua_getglobal(L, "render");
        lua_getglobal(L, lib);
        lua_pushstring(L, expr.c_str());
        if (lua_pcall(L, 2, 1, 0) != LUA_OK) return std::string("harness error: ") + lua_tostring(L, -1);
        std::string out = lua_tostring(L, -1);
        lua_pop(L, 1);
        return out;
    }

    lua_State* L = nullptr;
};

// F.<function>(...) expressions; gm(...) collects a gmatch iteration into one string.
const char* const kCases[] = {
    // find: plain, init, specials
    R"~(F.find("hello world", "o w"))~",
    R"~(F.find("hello world", "o", 6))~",
    R"~(F.find("hello world", "o", -3))~",
    R"~(F.find("hello", "l", 10))~",
    R"~(F.find("hello", "", 6))~",
    R"~(F.find("hello", "", 7))~",
    R"~(F.find("a.b", ".", 1, true))~",
    R"~(F.find("a+b", "+", 1, true))~",
    R"~(F.find("hello", "l+"))~",
    R"~(F.find("hello", "(l)(l)"))~",
    R"~(F.find("hello", "()ll()"))~",
    R"~(F.find("", ""))~",
    R"~(F.find(12345, 34))~",
    // character classes and their complements
    R"~(F.match("abc123def", "%d+"))~",
    R"~(F.match("abc123def", "%D+"))~",
    R"~(F.match("  \t x", "%s*()"))~",
    R"~(F.match("Hello World", "%u%l+ (%u)"))~",
    R"~(F.match("x=1,y=22", "(%w+)=(%w+)"))~",
    R"~(F.match("0xBEEF!", "0x(%x+)"))~",
    R"~(F.match("a,b;c", "%p"))~",
    R"~(F.match("abc\1\2", "%c+"))~",
    R"~(F.match("ab cd", "%g+"))~",
    R"~(F.match("ab cd", "%S+$"))~",
    R"~(F.match("aZ", "%a%A?"))~",
    // sets
    R"~(F.match("hello123", "[a-z]+"))~",
    R"~(F.match("hello123", "[^a-z]+"))~",
    R"~(F.match("a-b", "[a%-]+"))~",
    R"~(F.match("]]x", "[]]+"))~",
    R"~(F.match("x^y", "[%^x]+"))~",
    R"~(F.match("abc-", "[c-]+"))~",
    R"~(F.match("A1_", "[%u%d_]+"))~",
    // anchors and quantifiers
    R"~(F.match("hello", "^h"))~",
    R"~(F.match("hello", "^e"))~",
    R"~(F.match("hello", "o$"))~",
    R"~(F.match("a$b", "a$b"))~",
    R"~(F.match("aaa", "a-b"))~",
    R"~(F.match("aaab", "a-b"))~",
    R"~(F.match("<a><b>", "<(.-)>"))~",
    R"~(F.match("<a><b>", "<(.*)>"))~",
    R"~(F.match("color colour", "colou?r", 2))~",
    R"~(F.match("xyz", "x?y?z?w?"))~",
    // captures, %b, %f, back-references
    R"~(F.match("f(a(b)c) d", "%b()"))~",
    R"~(F.match("[[x]]", "%b[]"))~",
    R"~(F.match("THE (quick) fox", "%f[%a]%a+", 5))~",
    R"~(F.find("THE (quick) fox", "%f[%l]"))~",
    R"~(F.match("hello", "%f[%a]%a+%f[%A]"))~",
    R"~(F.match('say "hi" now', "([\"'])(.-)%1"))~",
    R"~(F.match("abab", "(ab)%1"))~",
    R"~(F.match("key = value", "(%w+)%s*=%s*(%w+)"))~",
    R"~(F.match("today is 2024-05-17", "(%d+)-(%d+)-(%d+)"))~",
    R"~(F.match("aaa", "((a)(a))"))~",
    // gmatch
    R"~(gm(F, "one two  three", "%a+"))~",
    R"~(gm(F, "k1=v1, k2=v2", "(%w+)=(%w+)"))~",
    R"~(gm(F, "abc", ""))~",
    R"~(gm(F, "^a^a", "^a"))~",
    R"~(gm(F, "abcabc", "b", 3))~",
    R"~(gm(F, "a,b,,c", "([^,]*)"))~",
    // gsub: string, table, function replacements, limits
    R"~(F.gsub("hello world", "o", "0"))~",
    R"~(F.gsub("hello world", "(o)", "[%1]", 1))~",
    R"~(F.gsub("hello", "", "-"))~",
    R"~(F.gsub("abc", "%w", "%0%0"))~",
    R"~(F.gsub("abc", "()", "%1"))~",
    R"~(F.gsub("$name is $age", "%$(%w+)", {name = "Ann", age = 30}))~",
    R"~(F.gsub("$name $missing", "%$(%w+)", {name = "Ann"}))~",
    R"~(F.gsub("1 2 3", "%d", function(d) return d * 2 end))~",
    R"~(F.gsub("a b", "%a", function() return false end))~",
    R"~(F.gsub("hello", "^h", "H"))~",
    R"~(F.gsub("hello", "l+$", "L"))~",
    R"~(F.gsub("100%", "%%", " percent"))~",
    R"~(F.gsub("x", "x", "%%"))~",
    R"~(F.gsub("abc", ".", {a = 1, b = true}))~",
    // errors: messages must be the same
    R"~(F.find("a", "%"))~",
    R"~(F.find("a", "[a"))~",
    R"~(F.find("a", "(a"))~",
    R"~(F.find("a", "a)"))~",
    R"~(F.find("a", "%b("))~",
    R"~(F.find("a", "%fa"))~",
    R"~(F.find("aa", "(a)%2"))~",
    R"~(F.match("a", "%1"))~",
    R"~(F.gsub("abc", "b", "%2"))~",
    R"~(F.gsub("abc", "b", "%x"))~",
    R"~(F.gsub("abc", "b", {b = {}}))~",
    R"~(F.gsub("abc", "b"))~",
    R"~(F.find("a", string.rep("(", 40)))~",
    R"~(F.match(string.rep("a", 300), string.rep("a?", 250)))~",
    R"~(F.find())~",
};

TEST_F(RealLibrary, OurMatcherGivesTheSameResultsAndErrors) {
    ASSERT_EQ(luaL_dostring(L, R"(
        function gm(F, s, p, init)
            local out = {}
            for a, b in F.gmatch(s, p, init) do out[#out + 1] = tostring(a) .. "|" .. tostring(b) end
            return table.concat(out, ",")
        end)"),
              LUA_OK);
    int count = 0;
    for (const char* expr : kCases) {
        const std::string real = render("string", expr);
        const std::string ours = render("ours", expr);
        EXPECT_EQ(ours, real) << expr;
        EXPECT_EQ(real.find("harness error"), std::string::npos) << expr;
        ++count;
    }
    EXPECT_GE(count, 60);
}

TEST_F(RealLibrary, LongSubjectsMatchLikeTheRealLibrary) {
    ASSERT_EQ(luaL_dostring(L, "big = string.rep('ab', 50000) .. 'c'"), LUA_OK);
    for (const char* expr : {"F.find(big, 'b*c')", "F.match(big, '(a)(b)c$')", "select(2, F.gsub(big, 'ab', 'x'))",
                             "F.find(big, 'abc', 1, true)"}) {
        EXPECT_EQ(render("ours", expr), render("string", expr)) << expr;
    }
}

// A guard that gives up after a number of checks: the matcher asks it while backtracking.
int g_checks = 0;
void count_and_stop(lua_State* L, const char* where) {
    if (++g_checks > 3) luaL_error(L, "stopped %s", where);
}

TEST(PatternGuard, IsAskedDuringPathologicalBacktracking) {
    lua_State* L = luaL_newstate();
    luaL_openlibs(L);
    static const PatternGuard guard{&count_and_stop};
    lua_newtable(L);
    register_patterns(L, -1, &guard);
    lua_setglobal(L, "ours");
    g_checks = 0;
    const int status = luaL_dostring(L, "return ours.find(string.rep('a', 30000), string.rep('.-', 40) .. 'b')");
    ASSERT_NE(status, LUA_OK);
    EXPECT_NE(std::string(lua_tostring(L, -1)).find("stopped in a string pattern"), std::string::npos);
    lua_close(L);
}

}  // namespace
}  // namespace chokepoint::lua
