// The land outline file and the map projection: view/map_data.
#include "view/map_data.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "view/assets.hpp"

namespace chokepoint::view {
namespace {

namespace fs = std::filesystem;

class LandMapFile : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() / ("chokepoint_land_" + std::to_string(::getpid()) + "_" + test->name());
    }
    void TearDown() override { fs::remove(path_); }

    std::string write(const std::string& text) const {
        std::ofstream(path_) << text;
        return path_.string();
    }
    // The message load_land_map throws for `text`.
    std::string error_for(const std::string& text) const {
        try {
            load_land_map(write(text));
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "(no error)";
    }
    std::string at(int line) const { return path_.string() + ":" + std::to_string(line) + ": "; }

    fs::path path_;
};

TEST_F(LandMapFile, ReadsRingsSkippingCommentsAndBlankLines) {
    const LandMap map =
        load_land_map(write("# a header\n"
                            "ring 3\n"
                            "-10.5 20.25\n"
                            "  11 -21  \n"
                            "\n"
                            "# between points\n"
                            "-10.5 20.25\r\n"
                            "ring 2\n"
                            "180 90\n"
                            "-180.00 -90.00\n"));
    ASSERT_EQ(map.rings.size(), 2u);
    ASSERT_EQ(map.rings[0].size(), 3u);
    EXPECT_FLOAT_EQ(map.rings[0][0].first, -10.5f);
    EXPECT_FLOAT_EQ(map.rings[0][0].second, 20.25f);
    EXPECT_FLOAT_EQ(map.rings[0][1].first, 11.0f);
    EXPECT_FLOAT_EQ(map.rings[0][1].second, -21.0f);
    ASSERT_EQ(map.rings[1].size(), 2u);
    EXPECT_FLOAT_EQ(map.rings[1][1].first, -180.0f);
}

TEST_F(LandMapFile, MissingFileNamesThePath) {
    EXPECT_EQ(error_for("ring 1\n0 0\n"), "(no error)");
    fs::remove(path_);
    try {
        load_land_map(path_.string());
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), path_.string() + ": cannot open the land map");
    }
}

TEST_F(LandMapFile, PointBeforeAnyRingHeaderIsAnErrorAtItsLine) {
    EXPECT_EQ(error_for("# header\n1 2\n"), at(2) + "expected 'ring N', got '1 2'");
}

TEST_F(LandMapFile, RingCountMustBeAPositiveInteger) {
    EXPECT_EQ(error_for("ring\n"), at(1) + "expected 'ring N', got 'ring'");
    EXPECT_EQ(error_for("ring 2.5\n"), at(1) + "expected 'ring N', got 'ring 2.5'");
    EXPECT_EQ(error_for("ring 3 4\n"), at(1) + "expected 'ring N', got 'ring 3 4'");
    EXPECT_EQ(error_for("ring 0\n"), at(1) + "a ring needs at least one point, got 0");
    EXPECT_EQ(error_for("rings 2\n"), at(1) + "expected 'ring N', got 'rings 2'");
}

TEST_F(LandMapFile, MalformedPointIsAnErrorAtItsLine) {
    EXPECT_EQ(error_for("ring 2\n1 2\n3\n"), at(3) + "expected 'lon lat' in degrees, got '3'");
    EXPECT_EQ(error_for("ring 2\n1 2\n3 4 5\n"), at(3) + "expected 'lon lat' in degrees, got '3 4 5'");
    EXPECT_EQ(error_for("ring 1\n1,5 2\n"), at(2) + "expected 'lon lat' in degrees, got '1,5 2'");
    EXPECT_EQ(error_for("ring 1\nnan 2\n"), at(2) + "longitude nan 2 outside [-180, 180]");
}

TEST_F(LandMapFile, CoordinatesOutsideTheGlobeAreErrors) {
    EXPECT_EQ(error_for("ring 1\n180.5 0\n"), at(2) + "longitude 180.5 0 outside [-180, 180]");
    EXPECT_EQ(error_for("ring 1\n0 -90.01\n"), at(2) + "latitude 0 -90.01 outside [-90, 90]");
}

TEST_F(LandMapFile, RingWithTooFewPointsIsAnError) {
    EXPECT_EQ(error_for("ring 3\n0 0\n1 1\nring 1\n0 0\n"), at(4) + "ring declared at line 1 has 2 of its 3 points");
    EXPECT_EQ(error_for("# x\nring 3\n0 0\n"), at(2) + "ring has 1 of its 3 points when the file ends");
}

TEST_F(LandMapFile, FileWithoutRingsIsAnError) {
    EXPECT_EQ(error_for("# only a comment\n\n"), path_.string() + ": no rings");
}

TEST(LandMapAsset, TheShippedOutlineCoversTheWorld) {
    const LandMap map = load_land_map(assets_dir() + "/map/land-110m.txt");
    EXPECT_GT(map.rings.size(), 100u);
    float west = 0.0f, east = 0.0f, south = 0.0f, north = 0.0f;
    std::size_t points = 0;
    for (const auto& ring : map.rings) {
        EXPECT_GE(ring.size(), 2u);
        for (const auto& [lon, lat] : ring) {
            west = std::min(west, lon);
            east = std::max(east, lon);
            south = std::min(south, lat);
            north = std::max(north, lat);
        }
        points += ring.size();
    }
    EXPECT_GT(points, 4000u);
    EXPECT_FLOAT_EQ(west, -180.0f);
    EXPECT_FLOAT_EQ(east, 180.0f);
    EXPECT_LT(south, -80.0f);  // Antarctica
    EXPECT_GT(north, 80.0f);   // Greenland
}

TEST(ProjectEquirect, MapsTheGlobeOntoTheRectangle) {
    const auto check = [](float lon, float lat, float x, float y) {
        const MapPoint p = project_equirect(lon, lat, 1000.0f, 500.0f);
        EXPECT_FLOAT_EQ(p.x, x) << lon << "," << lat;
        EXPECT_FLOAT_EQ(p.y, y) << lon << "," << lat;
    };
    check(-180.0f, 90.0f, 0.0f, 0.0f);             // top left
    check(180.0f, -90.0f, 1000.0f, 500.0f);        // bottom right
    check(0.0f, 0.0f, 500.0f, 250.0f);             // Gulf of Guinea in the middle
    check(116.4f, 39.9f, 823.33333f, 139.16667f);  // Beijing: east and north of the middle
}

TEST(SplitAtAntimeridian, RingThatStaysOnOneSideIsOnePiece) {
    const std::vector<LonLat> ring{{10, 0}, {20, 0}, {20, 10}, {10, 0}};
    const auto pieces = split_at_antimeridian(ring);
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_EQ(pieces[0], ring);
}

TEST(SplitAtAntimeridian, StepAcrossTheMapStartsANewPiece) {
    // Chukotka-like: the land runs to +180 and continues from -180.
    const std::vector<LonLat> ring{{178, 65}, {180, 66}, {-180, 66}, {-175, 65}, {-176, 64}, {179, 64}, {178, 65}};
    const auto pieces = split_at_antimeridian(ring);
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[0], (std::vector<LonLat>{{178, 65}, {180, 66}}));
    EXPECT_EQ(pieces[1], (std::vector<LonLat>{{-180, 66}, {-175, 65}, {-176, 64}}));
    EXPECT_EQ(pieces[2], (std::vector<LonLat>{{179, 64}, {178, 65}}));
}

TEST(SplitAtAntimeridian, LonePointsAreLeftOut) {
    const std::vector<LonLat> ring{{-180, -84}, {-100, -80}, {178, -84}, {-180, -84}};
    const auto pieces = split_at_antimeridian(ring);
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_EQ(pieces[0], (std::vector<LonLat>{{-180, -84}, {-100, -80}}));
}

}  // namespace
}  // namespace chokepoint::view
