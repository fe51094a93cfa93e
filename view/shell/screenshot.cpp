#include "view/shell/screenshot.hpp"

#include <fmt/core.h>

#include <SFML/Graphics/Texture.hpp>

namespace chokepoint::view {

bool save_png(const sf::RenderWindow& window, const std::string& path) {
    sf::Texture texture;
    if (!texture.create(window.getSize().x, window.getSize().y)) return false;
    texture.update(window);  // the back buffer: before display()
    return texture.copyToImage().saveToFile(path);
}

std::string Screenshots::key_request(int turn) { return fmt::format("chokepoint-T{:02}.png", turn); }

bool Screenshots::take(const sf::RenderWindow& window, UiState& ui, bool last) const {
    const bool final_shot = last && !final_path_.empty();
    if (ui.screenshot_request.empty() && !final_shot) return true;
    const std::string path = final_shot ? final_path_ : ui.screenshot_request;
    bool ok = true;
    if (save_png(window, path)) {
        ui.say("saved " + path);
    } else {
        ui.say("cannot write " + path, true);
        ok = !last;
    }
    ui.screenshot_request.clear();
    return ok;
}

}  // namespace chokepoint::view
