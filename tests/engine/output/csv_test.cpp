// The CSV text helpers every table uses (engine/output/csv.hpp).
#include <gtest/gtest.h>

#include <limits>

#include "engine/output/csv.hpp"

namespace chokepoint {
namespace {

TEST(CsvText, NumbersKeepSixSignificantDigitsAndNameTheNonFinite) {
    EXPECT_EQ(csv_num(0.0), "0");
    EXPECT_EQ(csv_num(-0.0), "0");
    EXPECT_EQ(csv_num(1440.8000000000002), "1440.8");
    EXPECT_EQ(csv_num(0.1234567), "0.123457");
    EXPECT_EQ(csv_num(12345678.0), "1.23457e+07");
    EXPECT_EQ(csv_num(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(csv_num(-std::numeric_limits<double>::infinity()), "-inf");
    EXPECT_EQ(csv_num(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(CsvText, FieldsAreQuotedOnlyWhenTheyMustBe) {
    EXPECT_EQ(csv_field("usa"), "usa");
    EXPECT_EQ(csv_field(""), "");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"no\""), "\"say \"\"no\"\"\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
}

}  // namespace
}  // namespace chokepoint
