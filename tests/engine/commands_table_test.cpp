// The command table (engine/commands/table.hpp): one entry per command, each with its home.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/commands/dispatch.hpp"
#include "engine/commands/table.hpp"
#include "tests/support/files.hpp"

namespace chokepoint {
namespace {

TEST(CommandTable, ListsEveryCommandOnceWithANameAndASummary) {
    static_assert(kCommands.size() == std::variant_size_v<Command>);
    std::set<std::string_view> names;
    for (const CommandInfo& c : kCommands) {
        EXPECT_FALSE(c.name.empty());
        EXPECT_GT(c.summary.size(), 10u) << c.name;
        EXPECT_TRUE(names.insert(c.name).second) << "twice: " << c.name;
        for (char ch : c.name) EXPECT_TRUE((ch >= 'a' && ch <= 'z') || ch == '_') << c.name;
    }
}

TEST(CommandTable, NamesAndKindsComeFromEachCommandsHome) {
    EXPECT_STREQ(command_name(Command{SetTariff{}}), "set_tariff");
    EXPECT_STREQ(command_name(Command{DecideLicense{}}), "decide_license");
    EXPECT_STREQ(command_name(Command{Withdraw{}}), "withdraw");
    // Diplomacy is not an instrument: agreements in force do not lock it.
    for (const CommandInfo& c : kCommands)
        EXPECT_EQ(c.instrument, !(c.name == "propose" || c.name == "respond" || c.name == "withdraw")) << c.name;
}

// docs/outputs.md lists every command by its name and summary, as the table has them.
TEST(CommandTable, TheDocsListEveryCommandWithItsSummary) {
    const std::string docs = chokepoint::testing::slurp("docs/outputs.md");
    for (const CommandInfo& c : kCommands)
        EXPECT_NE(docs.find("| `" + std::string(c.name) + "` | " + std::string(c.summary) + " |"), std::string::npos)
            << c.name << ": not in docs/outputs.md as \"| `" << c.name << "` | " << c.summary << " |\"";
}

}  // namespace
}  // namespace chokepoint
