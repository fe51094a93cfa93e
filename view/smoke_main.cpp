// chokepoint_view_smoke: opens the window the view will use — SFML, the land outline,
// ImGui through view/platform/imgui_impl_sfml and the OpenGL2 renderer, the UI font — and
// shows ImGui's demo window. With --frames N it stops after N frames, saving the last one
// with --screenshot, and prints frame times: a check that the stack works on a machine.
#include <backends/imgui_impl_opengl2.h>
#include <fmt/core.h>
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <SFML/Graphics.hpp>
#include <SFML/OpenGL.hpp>
#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "view/assets.hpp"
#include "view/fonts.hpp"
#include "view/map_data.hpp"
#include "view/platform/imgui_impl_sfml.hpp"

namespace {

using namespace chokepoint::view;

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;
const sf::Color kOcean(14, 30, 58);
const sf::Color kCoast(150, 190, 170);

struct SmokeArgs {
    int frames = 0;  // 0: until the window is closed
    std::string screenshot;
    std::string font;
    std::string map = assets_dir() + "/map/land-110m.txt";
    bool demo = true;
};

// One line strip per piece of ring, the 2:1 map centred in a window of `size`.
std::vector<sf::VertexArray> land_outline(const LandMap& land, sf::Vector2u size) {
    const float width = std::min(static_cast<float>(size.x), 2.0f * static_cast<float>(size.y));
    const float height = width / 2.0f;
    const float left = (static_cast<float>(size.x) - width) / 2.0f;
    const float top = (static_cast<float>(size.y) - height) / 2.0f;
    std::vector<sf::VertexArray> strips;
    for (const auto& ring : land.rings) {
        for (const auto& piece : split_at_antimeridian(ring)) {
            sf::VertexArray strip(sf::LineStrip, piece.size());
            for (std::size_t i = 0; i < piece.size(); ++i) {
                const MapPoint p = project_equirect(piece[i].first, piece[i].second, width, height);
                strip[i] = sf::Vertex({left + p.x, top + p.y}, kCoast);
            }
            strips.push_back(std::move(strip));
        }
    }
    return strips;
}

struct UiFonts {
    ImFont* regular = nullptr;
    ImFont* bold = nullptr;
    std::string description;
};

UiFonts load_fonts(ImGuiIO& io, const std::string& explicit_path) {
    const UiFontFiles files = find_ui_fonts(default_font_search(explicit_path));
    if (!explicit_path.empty() && files.regular != explicit_path)
        fmt::print(stderr, "chokepoint_view_smoke: font {} not found, using {}\n", explicit_path,
                   files.regular.empty() ? "ImGui's built-in font" : files.regular);
    UiFonts fonts;
    if (!files.regular.empty()) fonts.regular = io.Fonts->AddFontFromFileTTF(files.regular.c_str(), 16.0f);
    if (!fonts.regular) {
        fonts.regular = io.Fonts->AddFontDefault();
        fonts.description = "ImGui built-in";
    } else {
        fonts.description = files.regular;
    }
    if (!files.bold.empty()) fonts.bold = io.Fonts->AddFontFromFileTTF(files.bold.c_str(), 16.0f);
    if (!fonts.bold) fonts.bold = fonts.regular;
    return fonts;
}

bool save_screenshot(const sf::RenderWindow& window, const std::string& path) {
    sf::Texture texture;
    if (!texture.create(window.getSize().x, window.getSize().y)) return false;
    texture.update(window);  // the back buffer: call before display()
    return texture.copyToImage().saveToFile(path);
}

// The little panel's state, owned by the loop (imgui panels take their state explicitly).
struct SmokePanel {
    char note[128] = "";  // a text field, to try typing, selection and the clipboard
};

void show_smoke_panel(SmokePanel& panel, const UiFonts& fonts, const LandMap& land, const ImGuiIO& io) {
    ImGui::SetNextWindowPos(ImVec2(20.0f, 500.0f), ImGuiCond_FirstUseEver);
    ImGui::Begin("Chokepoint");
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted("Rare earths: who holds the chokepoint?");
    ImGui::PopFont();
    ImGui::Text("Font: %s", fonts.description.c_str());
    ImGui::Text("Land: %zu rings  ·  %.1f FPS", land.rings.size(), static_cast<double>(io.Framerate));
    ImGui::InputText("Note", panel.note, sizeof panel.note);
    ImGui::End();
}

struct FrameTimes {
    std::vector<double> ms;

    void print(const std::string& renderer) const {
        if (ms.size() < 2) return;
        fmt::print("OpenGL renderer: {}\n", renderer);
        std::vector<double> sorted(ms.begin() + 1, ms.end());  // the first frame uploads the font atlas
        std::sort(sorted.begin(), sorted.end());
        double sum = 0.0;
        for (double t : sorted) sum += t;
        fmt::print("frames {} (after the first): mean {:.2f} ms, median {:.2f} ms, p95 {:.2f} ms, max {:.2f} ms\n",
                   sorted.size(), sum / static_cast<double>(sorted.size()), sorted[sorted.size() / 2],
                   sorted[sorted.size() * 95 / 100], sorted.back());
    }
};

int run(const SmokeArgs& args) {
    const LandMap land = load_land_map(args.map);

    sf::RenderWindow window(sf::VideoMode(1280, 720), "Chokepoint - view smoke test");
    if (args.frames == 0) window.setVerticalSyncEnabled(true);  // timed runs measure the work, not the display
    std::vector<sf::VertexArray> outline = land_outline(land, window.getSize());

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a smoke test leaves no imgui.ini behind
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui::StyleColorsDark();
    const UiFonts fonts = load_fonts(io, args.font);
    ImGui_ImplSFML_Init(window);
    ImGui_ImplOpenGL2_Init();
    const auto* gl_renderer = glGetString(GL_RENDERER);
    const std::string renderer = gl_renderer ? reinterpret_cast<const char*>(gl_renderer) : "unknown";

    SmokePanel panel;
    FrameTimes times;
    bool saved = args.screenshot.empty();
    for (int frame = 1; window.isOpen() && (args.frames == 0 || frame <= args.frames); ++frame) {
        const auto start = std::chrono::steady_clock::now();
        sf::Event event;
        while (window.pollEvent(event)) {
            ImGui_ImplSFML_ProcessEvent(event);
            if (event.type == sf::Event::Closed) window.close();
            if (event.type == sf::Event::Resized) {
                const sf::Vector2f size(static_cast<float>(event.size.width), static_cast<float>(event.size.height));
                window.setView(sf::View(sf::FloatRect({0.0f, 0.0f}, size)));
                outline = land_outline(land, window.getSize());
            }
        }
        if (!window.isOpen()) break;

        ImGui_ImplOpenGL2_NewFrame();
        ImGui_ImplSFML_NewFrame();
        ImGui::NewFrame();
        if (args.demo) ImGui::ShowDemoWindow();
        show_smoke_panel(panel, fonts, land, io);
        ImGui::Render();

        window.resetGLStates();  // the OpenGL2 renderer changed state behind SFML's back last frame
        window.clear(kOcean);
        for (const auto& strip : outline) window.draw(strip);
        ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
        if (!saved && frame == args.frames) {
            if (!save_screenshot(window, args.screenshot)) {
                fmt::print(stderr, "chokepoint_view_smoke: cannot write {}\n", args.screenshot);
                return kExitRuntime;
            }
            saved = true;
        }
        window.display();
        times.ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }

    ImGui_ImplOpenGL2_Shutdown();
    ImGui_ImplSFML_Shutdown();
    ImGui::DestroyContext();
    if (args.frames > 0) times.print(renderer);
    if (!saved) {
        fmt::print(stderr, "chokepoint_view_smoke: window closed before frame {}, no screenshot\n", args.frames);
        return kExitRuntime;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Chokepoint view smoke test: the map outline and ImGui's demo window in an SFML window"};
    SmokeArgs args;
    app.add_option("--frames", args.frames, "Stop after this many frames (default: when the window is closed)")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--screenshot", args.screenshot, "Save the last frame to this PNG file (needs --frames)")
        ->needs(app.get_option("--frames"));
    app.add_option("--font", args.font, "TTF file for the UI (default: assets/fonts, then DejaVu Sans)");
    app.add_option("--map", args.map, "Land outline file")->capture_default_str();
    app.add_flag("!--no-demo", args.demo, "Leave out ImGui's demo window (to see the whole map)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : kExitUsage;
    }
    try {
        return run(args);
    } catch (const std::exception& e) {
        fmt::print(stderr, "chokepoint_view_smoke: {}\n", e.what());
        return kExitRuntime;
    }
}
