// Screenshot file names: a second picture of a turn never replaces the first (issue 13, Also).
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/files.hpp"
#include "view/shell/screenshot.hpp"

namespace chokepoint::view {
namespace {

TEST(ScreenshotNames, ASecondShotOfATurnGetsTheNextFreeName) {
    testing::ScratchDir dir("shots");
    const std::string d = dir.path().string();
    EXPECT_EQ(Screenshots::free_path(d, 7), (dir / "chokepoint-T07.png").string());
    std::ofstream(dir / "chokepoint-T07.png") << "x";
    EXPECT_EQ(Screenshots::free_path(d, 7), (dir / "chokepoint-T07-2.png").string());
    std::ofstream(dir / "chokepoint-T07-2.png") << "x";
    EXPECT_EQ(Screenshots::free_path(d, 7), (dir / "chokepoint-T07-3.png").string());
    EXPECT_EQ(Screenshots::free_path(d, 12), (dir / "chokepoint-T12.png").string());
    EXPECT_EQ(Screenshots::free_path("", 0), "./chokepoint-T00.png");
}

}  // namespace
}  // namespace chokepoint::view
