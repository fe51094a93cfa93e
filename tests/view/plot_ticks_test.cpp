// Chart axes (issue 13, trap 5): ticks at round values, written exactly — never the uneven
// 0.07/0.05/0.03/0.02 that rounding quarter-points of an arbitrary range gave.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "view/ui/plot.hpp"

namespace chokepoint::view {
namespace {

std::vector<std::string> labels(const AxisTicks& t) {
    std::vector<std::string> out;
    char buf[64];
    for (int i = 0; i <= t.count(); ++i) {
        std::snprintf(buf, sizeof buf, "%.*f", t.decimals, t.lo + t.step * i);
        out.emplace_back(buf);
    }
    return out;
}

TEST(AxisTicks, SmallLeverageRangeGetsEvenRoundTicks) {
    const AxisTicks t = nice_ticks(0.0153, 0.0731, 4);
    EXPECT_DOUBLE_EQ(t.step, 0.02);
    EXPECT_NEAR(t.lo, 0.0, 1e-12);
    EXPECT_NEAR(t.hi, 0.08, 1e-12);
    EXPECT_EQ(labels(t), (std::vector<std::string>{"0.00", "0.02", "0.04", "0.06", "0.08"}));
}

TEST(AxisTicks, EveryLabelIsExactAndDistinctOverManyRanges) {
    for (double lo : {0.0, 0.013, 1.7, 37.0, 950.0, -0.4})
        for (double span : {0.004, 0.06, 0.9, 7.3, 120.0, 5400.0}) {
            const AxisTicks t = nice_ticks(lo, lo + span, 4);
            EXPECT_LE(t.lo, lo + 1e-12);
            EXPECT_GE(t.hi, lo + span - 1e-12);
            EXPECT_GE(t.count(), 2) << lo << " " << span;
            EXPECT_LE(t.count(), 8) << lo << " " << span;
            const auto ls = labels(t);
            EXPECT_EQ(std::set<std::string>(ls.begin(), ls.end()).size(), ls.size()) << "labels repeat";
            for (int i = 0; i <= t.count(); ++i) {
                const double v = t.lo + t.step * i;
                EXPECT_NEAR(std::stod(ls[static_cast<size_t>(i)]), v, std::abs(t.step) * 1e-6) << "label not exact";
            }
        }
}

TEST(AxisTicks, QuarterStepsGetOneMoreDecimal) {
    const AxisTicks t = nice_ticks(0.0, 0.95, 4);
    EXPECT_DOUBLE_EQ(t.step, 0.25);
    EXPECT_EQ(t.decimals, 2);
    EXPECT_EQ(labels(t).back(), "1.00");
}

}  // namespace
}  // namespace chokepoint::view
