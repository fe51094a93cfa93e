// The one reader of numbers written as text (YAML scalars in policy params, CSV cells of the
// reports, the event log's rounded details).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/world/number_text.hpp"

namespace chokepoint {
namespace {

TEST(NumberText, TheWholeTextMustBeTheNumber) {
    EXPECT_EQ(read_number_text("12.5"), 12.5);
    EXPECT_EQ(read_number_text("-3e2"), -300.0);
    EXPECT_FALSE(read_number_text(""));
    EXPECT_FALSE(read_number_text(" 5"));   // strtod would skip the space
    EXPECT_FALSE(read_number_text("5 "));
    EXPECT_FALSE(read_number_text("5t"));
    EXPECT_FALSE(read_number_text("yes"));
}

TEST(NumberText, DenormalsAndOverflowsAreNumbersNotErrors) {
    // std::stod throws out_of_range on both; the game writes such values (a policy's 1e-320 tariff).
    const auto tiny = read_number_text("1e-320");
    ASSERT_TRUE(tiny);
    EXPECT_GT(*tiny, 0.0);
    EXPECT_LT(*tiny, 1e-300);
    const auto huge = read_number_text("1e400");
    ASSERT_TRUE(huge);
    EXPECT_TRUE(std::isinf(*huge));
    ASSERT_TRUE(read_number_text("nan"));
    EXPECT_TRUE(std::isnan(*read_number_text("nan")));
}

}  // namespace
}  // namespace chokepoint
