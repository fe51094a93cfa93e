// Every name a policy can use on ctx is documented in docs/lua-api.md and
// stubbed for editors in scripts/types/chokepoint.lua — and nothing is
// documented that does not exist.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "agents/lua/api.hpp"
#include "tests/support/files.hpp"

namespace chokepoint::lua {
namespace {

using chokepoint::testing::slurp;

const std::set<std::string> kFields = {"country", "turn", "date", "turns", "memory", "params"};

TEST(LuaApiDocs, EveryRegisteredNameIsDocumentedAndStubbed) {
    const std::string doc = slurp("docs/lua-api.md");
    const std::string stubs = slurp("scripts/types/chokepoint.lua");
    ASSERT_FALSE(doc.empty()) << "docs/lua-api.md is missing";
    ASSERT_FALSE(stubs.empty()) << "scripts/types/chokepoint.lua is missing";
    for (const std::string& name : api_names()) {
        if (kFields.count(name)) {
            EXPECT_NE(doc.find("### ctx." + name), std::string::npos) << "ctx." << name << " is not documented";
            EXPECT_NE(stubs.find("---@field " + name + " "), std::string::npos) << "ctx." << name << " is not stubbed";
        } else {
            EXPECT_NE(doc.find("### ctx:" + name + "("), std::string::npos) << "ctx:" << name << " is not documented";
            EXPECT_NE(stubs.find("function Ctx:" + name + "("), std::string::npos)
                << "ctx:" << name << " is not stubbed";
        }
    }
}

TEST(LuaApiDocs, NothingIsDocumentedThatDoesNotExist) {
    const std::string doc = slurp("docs/lua-api.md");
    const std::string stubs = slurp("scripts/types/chokepoint.lua");
    std::set<std::string> names;
    for (const auto& n : api_names()) names.insert(n);
    std::regex heading(R"(### ctx[:.]([a-z_]+))"), stub(R"(function Ctx:([a-z_]+)\()");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), heading); it != std::sregex_iterator(); ++it)
        EXPECT_TRUE(names.count((*it)[1])) << "docs/lua-api.md documents ctx " << (*it)[1] << ", which does not exist";
    for (auto it = std::sregex_iterator(stubs.begin(), stubs.end(), stub); it != std::sregex_iterator(); ++it)
        EXPECT_TRUE(names.count((*it)[1])) << "the stubs declare Ctx:" << (*it)[1] << ", which does not exist";
}

}  // namespace
}  // namespace chokepoint::lua
