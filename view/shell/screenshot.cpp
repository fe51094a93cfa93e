#include "view/shell/screenshot.hpp"

#include <fmt/core.h>

#include <SFML/Graphics/Texture.hpp>
#include <filesystem>

namespace chokepoint::view {

bool save_png(const sf::RenderWindow& window, const std::string& path) {
    sf::Texture texture;
    if (!texture.create(window.getSize().x, window.getSize().y)) return false;
    texture.update(window);  // the back buffer: before display()
    return texture.copyToImage().saveToFile(path);
}

std::string Screenshots::free_path(const std::string& dir, int turn) {
    const std::filesystem::path folder(dir.empty() ? "." : dir);
    std::filesystem::path path = folder / fmt::format("chokepoint-T{:02}.png", turn);
    for (int n = 2; std::filesystem::exists(path); ++n) path = folder / fmt::format("chokepoint-T{:02}-{}.png", turn, n);
    return path.string();
}

bool Screenshots::take(const sf::RenderWindow& window, UiState& ui, bool last) const {
    const bool final_shot = last && !final_path_.empty();
    if (ui.screenshot_turn < 0 && !final_shot) return true;
    std::error_code ignored;
    if (!final_shot && !ui.screenshot_dir.empty()) std::filesystem::create_directories(ui.screenshot_dir, ignored);
    const std::string path = final_shot ? final_path_ : free_path(ui.screenshot_dir, ui.screenshot_turn);
    bool ok = true;
    if (save_png(window, path)) {
        ui.say("saved " + path);
    } else {
        ui.say("cannot write " + path, true);
        ok = !last;
    }
    ui.screenshot_turn = -1;
    return ok;
}

}  // namespace chokepoint::view
