// Choosing the UI's font files: view/fonts.
#include "view/fonts.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace chokepoint::view {
namespace {

namespace fs = std::filesystem;

class FontSearchTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        root_ = fs::temp_directory_path() / ("chokepoint_fonts_" + std::to_string(::getpid()) + "_" + test->name());
        fs::remove_all(root_);
        fs::create_directories(assets());
        fs::create_directories(system());
    }
    void TearDown() override { fs::remove_all(root_); }

    fs::path assets() const { return root_ / "assets" / "fonts"; }
    fs::path system() const { return root_ / "dejavu"; }
    static std::string touch(const fs::path& file) {
        std::ofstream(file) << "not really a font";
        return file.string();
    }
    FontSearch search(std::string explicit_path = {}) const {
        return {std::move(explicit_path), assets().string(), system().string()};
    }

    fs::path root_;
};

TEST_F(FontSearchTest, ExplicitFileWinsOverEverything) {
    const std::string mine = touch(root_ / "Mine.ttf");
    touch(assets() / "Project.ttf");
    touch(system() / "DejaVuSans.ttf");
    const UiFontFiles fonts = find_ui_fonts(search(mine));
    EXPECT_EQ(fonts.regular, mine);
    EXPECT_EQ(fonts.bold, "");
}

TEST_F(FontSearchTest, MissingExplicitFileIsSkipped) {
    const std::string dejavu = touch(system() / "DejaVuSans.ttf");
    EXPECT_EQ(find_ui_fonts(search((root_ / "nope.ttf").string())).regular, dejavu);
}

TEST_F(FontSearchTest, ProjectFontsComeBeforeSystemFonts) {
    touch(system() / "DejaVuSans.ttf");
    const std::string regular = touch(assets() / "Inter-Regular.ttf");
    const std::string bold = touch(assets() / "Inter-Bold.ttf");
    touch(assets() / "Inter-BoldItalic.ttf");
    touch(assets() / "Inter-Italic.ttf");
    touch(assets() / "README.md");
    const UiFontFiles fonts = find_ui_fonts(search());
    EXPECT_EQ(fonts.regular, regular);
    EXPECT_EQ(fonts.bold, bold);
}

TEST_F(FontSearchTest, OnlyBoldProjectFontServesAsRegularToo) {
    const std::string bold = touch(assets() / "Heavy-Bold.TTF");
    const UiFontFiles fonts = find_ui_fonts(search());
    EXPECT_EQ(fonts.regular, bold);
    EXPECT_EQ(fonts.bold, bold);
}

TEST_F(FontSearchTest, FallsBackToDejaVuSansAndItsBold) {
    const std::string regular = touch(system() / "DejaVuSans.ttf");
    const std::string bold = touch(system() / "DejaVuSans-Bold.ttf");
    touch(system() / "DejaVuSerif.ttf");
    const UiFontFiles fonts = find_ui_fonts(search());
    EXPECT_EQ(fonts.regular, regular);
    EXPECT_EQ(fonts.bold, bold);
}

TEST_F(FontSearchTest, DejaVuWithoutBoldLeavesBoldEmpty) {
    const std::string regular = touch(system() / "DejaVuSans.ttf");
    const UiFontFiles fonts = find_ui_fonts(search());
    EXPECT_EQ(fonts.regular, regular);
    EXPECT_EQ(fonts.bold, "");
}

TEST_F(FontSearchTest, NothingFoundMeansImGuisBuiltInFont) {
    const UiFontFiles fonts = find_ui_fonts(search());
    EXPECT_EQ(fonts.regular, "");
    EXPECT_EQ(fonts.bold, "");
    EXPECT_EQ(find_ui_fonts(FontSearch{}).regular, "");
}

TEST(DefaultFontSearch, LooksInTheProjectAssetsThenDejaVu) {
    const FontSearch search = default_font_search("x.ttf");
    EXPECT_EQ(search.explicit_path, "x.ttf");
    EXPECT_TRUE(search.assets_dir.ends_with("/assets/fonts")) << search.assets_dir;
    EXPECT_EQ(search.system_dir, "/usr/share/fonts/truetype/dejavu");
}

}  // namespace
}  // namespace chokepoint::view
