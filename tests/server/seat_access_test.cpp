// Joining a seat with its code (server/seat_access): tokens, wrong codes, the rate limit, kicks.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>

#include "server/seat_access.hpp"

namespace chokepoint::server {
namespace {

// A seeded generator as the random source: the same codes in every run of the test.
RandomSource counting() {
    auto gen = std::make_shared<std::mt19937>(7);
    return [gen] { return static_cast<unsigned>((*gen)()); };
}

TEST(SeatAccess, EverySeatHasItsOwnShortCodeFromTheUnambiguousAlphabet) {
    SeatAccess a({"usa", "china", "japan"}, counting());
    std::set<std::string> codes;
    for (const auto& seat : a.seats()) {
        const std::string code = a.code(seat);
        ASSERT_EQ(code.size(), static_cast<std::size_t>(SeatAccess::kCodeLength));
        for (char c : code) EXPECT_NE(std::string(SeatAccess::kCodeAlphabet).find(c), std::string::npos) << code;
        codes.insert(code);
    }
    EXPECT_EQ(codes.size(), 3u);
    EXPECT_EQ(a.code("nobody"), "");
}

TEST(SeatAccess, TheRightCodeGivesATokenForItsSeatOnlyAndCaseOrSpacesDoNotMatter) {
    SeatAccess a({"usa", "china"}, counting());
    std::string code = a.code("china");
    std::string typed = " " + code.substr(0, 3) + "-" + code.substr(3) + " ";
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto j = a.join(typed, "10.0.0.5", 0.0);
    ASSERT_EQ(j.outcome, SeatAccess::Outcome::Joined);
    EXPECT_EQ(j.seat, "china");
    EXPECT_EQ(j.token.size(), 32u);
    EXPECT_EQ(a.seat_of(j.token), "china");
    EXPECT_FALSE(a.seat_of("").has_value());
    EXPECT_FALSE(a.seat_of(j.token.substr(1) + "0").has_value());
    // A second browser of the same team joins too, with a token of its own.
    const auto k = a.join(code, "10.0.0.6", 1.0);
    EXPECT_NE(k.token, j.token);
    EXPECT_EQ(a.joined("china"), 2);
    EXPECT_EQ(a.joined("usa"), 0);
}

TEST(SeatAccess, FiveWrongCodesFromAnAddressLockItForAMinuteButNotOthers) {
    SeatAccess a({"usa"}, counting());
    const std::string right = a.code("usa");
    for (int i = 0; i < SeatAccess::kMaxFailures; ++i)
        EXPECT_EQ(a.join("AAAAAA", "10.0.0.9", i).outcome, SeatAccess::Outcome::WrongCode);
    // Locked: even the right code is refused, with the time to wait.
    const auto locked = a.join(right, "10.0.0.9", 10.0);
    EXPECT_EQ(locked.outcome, SeatAccess::Outcome::RateLimited);
    EXPECT_NEAR(locked.retry_after, SeatAccess::kFailureWindow - 10.0, 1e-9);
    EXPECT_TRUE(locked.token.empty());
    // Another address is not affected.
    EXPECT_EQ(a.join(right, "10.0.0.10", 10.0).outcome, SeatAccess::Outcome::Joined);
    // Once the first failure is a minute old, one more try is allowed.
    EXPECT_EQ(a.join(right, "10.0.0.9", SeatAccess::kFailureWindow + 0.5).outcome, SeatAccess::Outcome::Joined);
}

TEST(SeatAccess, AKickEndsTheSeatsTokensAndGivesItANewCode) {
    SeatAccess a({"usa", "china"}, counting());
    const std::string old_code = a.code("usa");
    const auto usa = a.join(old_code, "1.1.1.1", 0.0);
    const auto china = a.join(a.code("china"), "1.1.1.1", 0.0);
    a.kick("usa");
    EXPECT_FALSE(a.seat_of(usa.token).has_value());
    EXPECT_EQ(a.seat_of(china.token), "china");
    EXPECT_NE(a.code("usa"), old_code);
    EXPECT_EQ(a.join(old_code, "1.1.1.2", 1.0).outcome, SeatAccess::Outcome::WrongCode);
    EXPECT_EQ(a.join(a.code("usa"), "1.1.1.2", 1.0).seat, "usa");
}

TEST(SeatAccess, ASeatAddedLaterGetsACodeAndAnExistingSeatKeepsItsCode) {
    SeatAccess a({"usa"}, counting());
    const std::string code = a.code("usa");
    a.add_seat("usa");
    EXPECT_EQ(a.code("usa"), code);
    a.add_seat("japan");
    EXPECT_TRUE(a.has_seat("japan"));
    EXPECT_EQ(a.join(a.code("japan"), "x", 0).seat, "japan");
}

// A new game without the seat (the window's New game while serving): its code and tokens end.
TEST(SeatAccess, ARemovedSeatHasNoCodeAndItsTokensStopWorking) {
    SeatAccess a({"usa", "china"}, counting());
    const std::string code = a.code("usa");
    const auto usa = a.join(code, "1.1.1.1", 0.0);
    const auto china = a.join(a.code("china"), "1.1.1.1", 0.0);
    a.remove_seat("usa");
    EXPECT_FALSE(a.has_seat("usa"));
    EXPECT_EQ(a.code("usa"), "");
    EXPECT_FALSE(a.seat_of(usa.token).has_value());
    EXPECT_EQ(a.seat_of(china.token), "china");
    EXPECT_EQ(a.join(code, "1.1.1.2", 1.0).outcome, SeatAccess::Outcome::WrongCode);
    EXPECT_EQ(a.seats(), std::vector<std::string>{"china"});
}

TEST(SeatAccess, SameSecretComparesWholeStrings) {
    EXPECT_TRUE(same_secret("ABC123", "ABC123"));
    EXPECT_FALSE(same_secret("ABC123", "ABC124"));
    EXPECT_FALSE(same_secret("ABC123", "ABC12"));
    EXPECT_FALSE(same_secret("", "A"));
}

}  // namespace
}  // namespace chokepoint::server
