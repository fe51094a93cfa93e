// The sandbox: every hole is denied with a clear error, and the runtime works afterwards.
#include <gtest/gtest.h>

#include <string>

#include "tests/agents/lua/lua_test_util.hpp"

namespace chokepoint::lua {
namespace {

using tests::Policy;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Bytecode made by a plain, unsandboxed state (the sandbox has no string.dump).
std::string bytecode_of(const char* source) {
    lua_State* L = luaL_newstate();
    luaL_openlibs(L);
    std::string out;
    if (luaL_dostring(L, (std::string("return string.dump(load([[") + source + "]]))").c_str()) == LUA_OK) {
        std::size_t n = 0;
        const char* bytes = lua_tolstring(L, -1, &n);
        out.assign(bytes, n);
    }
    lua_close(L);
    return out;
}

TEST(Sandbox, DangerousLibrariesAndFunctionsAreAbsent) {
    Policy p;
    EXPECT_EQ(p.run("return tostring(io) .. tostring(os) .. tostring(debug) .. tostring(package)"), "nilnilnilnil");
    EXPECT_EQ(p.run("return tostring(dofile) .. tostring(loadfile) .. tostring(string.dump) .. tostring(warn)"),
              "nilnilnilnil");
    EXPECT_TRUE(contains(p.run("io.open('/etc/passwd')"), "attempt to index a nil value (global 'io')"));
    EXPECT_TRUE(contains(p.run("os.execute('touch /tmp/pwned')"), "attempt to index a nil value (global 'os')"));
    EXPECT_TRUE(contains(p.run("return debug.getregistry()"), "(global 'debug')"));
    EXPECT_TRUE(contains(p.run("return string.dump(function() end)"), "attempt to call a nil value (field 'dump')"));
    EXPECT_EQ(p.run("return 1 + 1"), "2");  // still working
}

TEST(Sandbox, SafeBaseFunctionsArePresent) {
    Policy p;
    EXPECT_EQ(p.run(R"(
        local names = {"assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "select", "tonumber",
                       "tostring", "type", "rawequal", "rawlen", "rawget", "rawset", "setmetatable",
                       "getmetatable", "print", "load", "require", "collectgarbage"}
        for _, n in ipairs(names) do assert(type(_ENV[n]) == "function", n) end
        return _VERSION .. " " .. type(string) .. type(table) .. type(math) .. type(utf8) .. type(coroutine))"),
              "Lua 5.4 tabletabletabletabletable");
}

TEST(Sandbox, RequireOfACModuleOrAPathOutsideTheScriptsRootIsRefused) {
    Policy p;
    EXPECT_TRUE(contains(p.run("return require('socket.core')"),
                         "module 'socket.core' not found (looked for scripts/socket/core.lua)"));
    EXPECT_TRUE(contains(p.run("return require('io')"), "module 'io' not found (looked for scripts/io.lua)"));
    EXPECT_TRUE(contains(p.run("return require('../../etc/passwd')"), "invalid module name '../../etc/passwd'"));
    EXPECT_TRUE(contains(p.run("return require('/etc/passwd')"), "invalid module name"));
    EXPECT_TRUE(contains(p.run("return require('lib..x')"), "invalid module name"));
    EXPECT_TRUE(contains(p.run("return require('Lib')"), "invalid module name"));
    // A NUL or a control byte in the name is shown, not cut off or printed raw.
    EXPECT_TRUE(contains(p.run("return require('lib.util\\0.x')"), "invalid module name 'lib.util\\0.x'"));
    EXPECT_TRUE(contains(p.run("return require('a\\n')"), "invalid module name 'a\\10'"));
    EXPECT_EQ(p.run("return 'alive'"), "alive");
}

TEST(Sandbox, BinaryChunksAreRefusedByLoadAndAtPolicyLoad) {
    const std::string bytes = bytecode_of("return 42");
    ASSERT_FALSE(bytes.empty());
    Policy p;
    p.load(
        "return { on_turn = function(ctx, chunk) local f, err = load(chunk, 'x', 'b') return tostring(f) .. ': ' .. "
        "err end }");
    std::string out;
    const CallResult r = p.rt.call(
        "on_turn",
        [&](lua_State* L) {
            lua_pushnil(L);
            lua_pushlstring(L, bytes.data(), bytes.size());
            return 2;
        },
        [&](lua_State* L, int) { out = lua_tostring(L, -1); });
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(contains(out, "nil: ")) << out;
    EXPECT_TRUE(contains(out, "attempt to load a binary chunk (mode is 't')")) << out;

    const auto error = p.rt.load_text(bytes, "scripts/policies/evil.lua");
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(contains(*error, "error in policy 'evil.lua' at load:")) << *error;
    EXPECT_TRUE(contains(*error, "attempt to load a binary chunk")) << *error;
}

TEST(Sandbox, LoadRunsTextInTheCallersEnvironmentNeverTheRealGlobals) {
    Policy p;
    EXPECT_EQ(p.run("secret = 7 return load('return secret')()"), "7");
    EXPECT_EQ(p.run("return tostring(load('return io')())"), "nil");
    EXPECT_EQ(p.run("return load('return x', 'chunk', 't', {x = 5})()"), "5");
    EXPECT_EQ(p.run("local f, err = load('x =') return err"), "(load):1: unexpected symbol near <eof>");
    // A chunk name never passes for a file the game read.
    EXPECT_EQ(p.run("local f, err = load('x =', '@/etc/passwd') return err"),
              "(load) /etc/passwd:1: unexpected symbol near <eof>");
    EXPECT_EQ(p.run("local ok, err = pcall(load('error(\"boom\")', 'helper')) return err"), "(load) helper:1: boom");
    EXPECT_TRUE(contains(p.run("return load(function() return nil end)"), "string (source text) expected"));
    // A mode without "t" refuses source text, as plain Lua does (binary chunks are refused anyway).
    EXPECT_EQ(p.run("local f, err = load('return 1', 'x', 'b') return tostring(f) .. ' ' .. err"),
              "nil attempt to load a text chunk (mode is 'b')");
    EXPECT_EQ(p.run("return load('return 1', 'x', 'bt')()"), "1");
}

TEST(Sandbox, TheStringMetatableCannotBeReachedOrChanged) {
    Policy a, b;
    EXPECT_EQ(a.run("return tostring(getmetatable(''))"), "false");
    EXPECT_TRUE(contains(a.run("getmetatable('').__index.upper = nil"), "attempt to index a boolean value"));
    EXPECT_TRUE(contains(a.run("return rawget(getmetatable(''), '__index')"), "bad argument #1 to 'rawget'"));
    EXPECT_TRUE(contains(a.run("return setmetatable('', {})"), "bad argument #1 to 'setmetatable' (table expected"));
    EXPECT_EQ(a.run("return ('abc'):upper()"), "ABC");
    EXPECT_EQ(a.run("return '10' + 1 .. ' ' .. -'2' .. ' ' .. '3' * '4'"), "11 -2 12");
    // A script may change its own state's string copy (as in plain Lua)...
    EXPECT_EQ(a.run("string.upper = nil return tostring(('abc').upper)"), "nil");
    // ...but never another state's, nor the real library behind its own copy.
    EXPECT_EQ(b.run("return ('abc'):upper() .. string.upper('d')"), "ABCD");
    EXPECT_EQ(a.run("return ('abc'):lower()"), "abc");
}

TEST(Sandbox, GlobalsOfOneRuntimeAreInvisibleToAnother) {
    Policy a, b;
    a.load("shared = 'from a' return { on_turn = function() leaked = 'yes' return shared end }");
    std::string out;
    ASSERT_TRUE(a.call("on_turn", &out).ok);
    EXPECT_EQ(out, "from a");
    EXPECT_EQ(b.run("return tostring(shared) .. ' ' .. tostring(leaked) .. ' ' .. tostring(rawget(_G, 'shared'))"),
              "nil nil nil");
}

TEST(Sandbox, EnvTricksStayInsideTheSandbox) {
    Policy p;
    EXPECT_EQ(p.run("local _ENV = {} return x"), "nil");
    EXPECT_TRUE(contains(p.run("local _ENV = {} return io.open"), "attempt to index a nil value (global 'io')"));
    EXPECT_EQ(p.run("local _ENV = setmetatable({}, {__index = _G}) return tostring(io) .. tostring(os)"), "nilnil");
    EXPECT_EQ(p.run("_ENV.x = 5 return x + _G.x"), "10");
    EXPECT_EQ(p.run("return tostring(_G == _ENV)"), "true");
    EXPECT_EQ(p.run("local f = load('return _ENV') return tostring(f() == _ENV)"), "true");
    EXPECT_EQ(p.run("return tostring(rawget(_G, 'package'))"), "nil");
    EXPECT_EQ(p.run("return 'ok'"), "ok");
}

TEST(Sandbox, CollectgarbageAllowsOnlyHarmlessOptions) {
    Policy p;
    EXPECT_EQ(p.run("return math.type(collectgarbage('count'))"), "float");
    EXPECT_EQ(p.run("return collectgarbage()"), "0");
    EXPECT_EQ(p.run("return type(collectgarbage('step'))"), "boolean");
    EXPECT_TRUE(contains(p.run("collectgarbage('stop')"), "collectgarbage('stop') is not allowed in a policy"));
    EXPECT_TRUE(contains(p.run("collectgarbage('generational')"), "collectgarbage('generational') is not allowed"));
    EXPECT_EQ(p.run("return 'ok'"), "ok");
}

TEST(Sandbox, FinalizersAreRefused) {
    Policy p;
    EXPECT_TRUE(contains(p.run("setmetatable({}, {__gc = function() while true do end end})"),
                         "__gc metamethods are not allowed in a policy"));
    // A __gc added after setmetatable never runs: Lua only marks objects at setmetatable time.
    EXPECT_EQ(p.run("local mt = {} setmetatable({}, mt) mt.__gc = function() while true do end end "
                    "collectgarbage() return 'collected'"),
              "collected");
    EXPECT_TRUE(contains(p.run("local t = setmetatable({}, {__metatable = 'locked'}) setmetatable(t, {})"),
                         "cannot change a protected metatable"));
    EXPECT_EQ(p.run("return tostring(getmetatable(setmetatable({}, {__index = {a = 1}})).__index.a)"), "1");
}

TEST(Sandbox, CoroutinesWork) {
    Policy p;
    EXPECT_EQ(p.run(R"(
        local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
        local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
        local _, x = coroutine.resume(co, 1)
        local _, y = coroutine.resume(co, 10)
        return gen() + gen() + gen() + x + y .. coroutine.status(co))"),
              "28dead");
    EXPECT_EQ(p.run("local ok, err = coroutine.resume(coroutine.create(function() error('boom', 0) end)) "
                    "return tostring(ok) .. ' ' .. err"),
              "false boom");
}

TEST(Sandbox, PrintGoesToTheLogSinkTaggedWithTheCountry) {
    Policy p({}, 42, "scripts", "chn");
    EXPECT_EQ(p.run("print('stock', 12.5, nil, true, setmetatable({}, {__tostring = function() return 'T' end})) "
                    "return 'done'"),
              "done");
    ASSERT_EQ(p.logs.size(), 1u);
    EXPECT_EQ(p.logs[0].first, "chn");
    EXPECT_EQ(p.logs[0].second, "stock\t12.5\tnil\ttrue\tT");
}

TEST(Sandbox, StringLibraryIsCompleteApartFromDump) {
    Policy p;
    EXPECT_EQ(p.run(R"(return ("%s=%d"):format("x", 3) .. ("abc"):rep(2, "-") .. ("hello"):sub(2, 3)
        .. select(2, ("a b"):gsub(" ", "_")) .. ("x"):byte() .. utf8.char(228) .. #string.pack("i4", 1)
        .. table.concat({1, 2}, ",") .. math.floor(2.5) .. tostring(table.move({1, 2, 3}, 1, 3, 2)[3]))"),
              "x=3abc-abcel1120\xc3\xa4"
              "41,222");
}

}  // namespace
}  // namespace chokepoint::lua
