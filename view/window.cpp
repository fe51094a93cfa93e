#include "view/window.hpp"

#include <backends/imgui_impl_opengl2.h>
#include <fmt/core.h>
#include <imgui.h>
#include <malloc.h>

#include <SFML/Graphics.hpp>
#include <SFML/OpenGL.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>
#include <atomic>
#include <csignal>
#include <chrono>
#include <memory>

#include "engine/output/writers.hpp"
#include "view/assets.hpp"
#include "view/fonts.hpp"
#include "view/platform/imgui_impl_sfml.hpp"
#include "view/ui/layout.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/theme.hpp"
#include "view/map/world_view.hpp"

namespace chokepoint::view {

namespace {

// Ctrl+C in the terminal or a SIGTERM closes the window properly (the last line still prints).
std::atomic<bool> g_close_requested{false};
extern "C" void request_close(int) { g_close_requested = true; }

constexpr float kBaseFontPx = 16.0f;

struct Fonts {
    float scale = 0.0f;  // the scale the atlas was built for
    std::string regular, bold;
};

// (Re)builds the font atlas at the UI scale: crisp text on a projector rather than a stretched bitmap.
void build_fonts(Fonts& f, float scale) {
    ImGuiIO& io = ImGui::GetIO();
    if (f.scale == scale) return;
    if (f.scale != 0.0f) ImGui_ImplOpenGL2_DestroyFontsTexture();
    io.Fonts->Clear();
    ImFont* font = nullptr;
    // Latin with accents, the punctuation, arrows and signs the game's texts use (— · ’ → ≤ ≈ × €).
    static const ImWchar ranges[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0x2190, 0x21FF,
                                     0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    if (!f.regular.empty()) font = io.Fonts->AddFontFromFileTTF(f.regular.c_str(), kBaseFontPx * scale, nullptr, ranges);
    if (!font) {
        ImFontConfig cfg;
        cfg.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&cfg);
    }
    if (f.scale != 0.0f) ImGui_ImplOpenGL2_CreateFontsTexture();
    f.scale = scale;
}

Theme theme_from(const std::string& s) {
    if (s == "light") return Theme::Light;
    if (s == "high-contrast" || s == "high_contrast" || s == "contrast") return Theme::HighContrast;
    return Theme::Dark;
}

bool save_png(const sf::RenderWindow& window, const std::string& path) {
    sf::Texture texture;
    if (!texture.create(window.getSize().x, window.getSize().y)) return false;
    texture.update(window);  // the back buffer: before display()
    return texture.copyToImage().saveToFile(path);
}

const sf::Color kClearColour(14, 30, 58);

// The panels' backgrounds, drawn by SFML as opaque unblended quads before ImGui draws on top.
// ImGui fills a window's background with a blended, textured quad; under Xvfb's software
// renderer those fills were most of the frame (1080p: 15 -> 9 ms per frame, docs/performance.md).
std::vector<std::pair<Rect, sf::Color>> g_backdrops;

sf::Color opaque_over_clear(const ImVec4& c) {
    const auto mix = [&](float v, sf::Uint8 under) {
        return static_cast<sf::Uint8>(std::lround(255.0f * v * c.w + static_cast<float>(under) * (1.0f - c.w)));
    };
    return sf::Color(mix(c.x, kClearColour.r), mix(c.y, kClearColour.g), mix(c.z, kClearColour.b));
}

void begin_fixed(const char* name, const Rect& r, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
    g_backdrops.emplace_back(r, opaque_over_clear(ImGui::GetStyleColorVec4(ImGuiCol_WindowBg)));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0));  // ImGui skips a fully transparent fill
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings | extra);
    ImGui::PopStyleColor();
}

void draw_backdrops(sf::RenderTarget& target) {
    sf::VertexArray quads(sf::Triangles);
    for (const auto& [r, colour] : g_backdrops) {
        const sf::Vector2f a(r.x, r.y), b(r.x + r.w, r.y), c(r.x + r.w, r.y + r.h), d(r.x, r.y + r.h);
        for (const sf::Vector2f& v : {a, b, c, a, c, d}) quads.append(sf::Vertex(v, colour));
    }
    target.draw(quads, sf::RenderStates(sf::BlendNone));
}

// The right column: the seat's decisions when a person is to play, then the analysis tabs.
void side_column(PanelContext& p, const Rect& r, bool& seat_was_waiting) {
    begin_fixed("Analysis", r, ImGuiWindowFlags_NoTitleBar);
    const bool waiting = p.snap.waiting.has_value();
    if (ImGui::BeginTabBar("side")) {
        struct Tab {
            const char* name;
            void (*draw)(PanelContext&);
        };
        for (const Tab& t : {Tab{"Leverage", leverage_panel}, Tab{"Markets", markets_panel},
                             Tab{"Country", inspector_panel}, Tab{"Diplomacy", diplomacy_panel},
                             Tab{"Licensing", licensing_panel}}) {
            const bool pick = !p.ui.open_tab.empty() && p.ui.open_tab == t.name;
            if (ImGui::BeginTabItem(t.name, nullptr, pick ? ImGuiTabItemFlags_SetSelected : 0)) {
                ImGui::BeginChild(t.name);
                t.draw(p);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        }
        const bool pick_seat = (waiting && !seat_was_waiting) || p.ui.open_tab == "Seats";
        const std::string seat_label =
            waiting ? fmt::format("Your turn: {}###seat", p.snap.defs->countries[static_cast<size_t>(p.snap.waiting->seat)].name)
                    : std::string("Seats###seat");
        if (ImGui::BeginTabItem(seat_label.c_str(), nullptr, pick_seat ? ImGuiTabItemFlags_SetSelected : 0)) {
            ImGui::BeginChild("seat");
            seat_panel(p);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        p.ui.open_tab.clear();
        ImGui::EndTabBar();
    }
    seat_was_waiting = waiting;
    ImGui::End();
}

void bottom_strip(PanelContext& p, const Rect& r) {
    begin_fixed("Log", r, ImGuiWindowFlags_NoTitleBar);
    if (ImGui::BeginTabBar("bottom")) {
        if (ImGui::BeginTabItem("Events")) {
            ImGui::BeginChild("events");
            events_panel(p);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Script console")) {
            ImGui::BeginChild("console");
            console_panel(p);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

}  // namespace

namespace {
double ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

std::string window_title(const Snapshot& s) {
    const int played = static_cast<int>(s.history.size());
    std::string t = fmt::format("Chokepoint - {} - turn {}/{}", s.defs->scenario_name,
                                std::min(played + (s.finished ? 0 : 1), s.turn_limit), s.turn_limit);
    if (s.waiting) t += " - waiting for " + s.defs->countries[static_cast<size_t>(s.waiting->seat)].name;
    if (s.finished) t += " - game over";
    return t;
}

int run_view(const ViewOptions& options) {
    // Mesa's software renderer and ImGui allocate and free multi-megabyte buffers every frame;
    // glibc's defaults hand them back to the kernel each time (mmap/munmap, heap trimming), and
    // the page faults on the way back cost more than the drawing: 17 -> 11 ms per frame under
    // Xvfb (docs/performance.md). Keep freed memory in the process instead.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    UiState ui;
    ui.open_tab = options.tab;
    ui.scenario_path = options.session.scenario;
    ui.seed = static_cast<int>(options.session.seed.value_or(0));
    auto session = std::make_unique<Session>(options.session);
    if (!options.session.seed) ui.seed = static_cast<int>(session->snapshot()->seed);

    // The title names the scenario (window managers and xdotool find it by that).
    std::string title = window_title(*session->snapshot());
    sf::RenderWindow window(sf::VideoMode(options.width, options.height), sf::String::fromUtf8(title.begin(), title.end()));
    if (options.frames == 0) window.setVerticalSyncEnabled(true);
    window.setFramerateLimit(options.frames == 0 ? 60 : 0);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is computed, nothing to save
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui_ImplSFML_Init(window);
    ImGui_ImplOpenGL2_Init();

    Fonts fonts;
    const UiFontFiles files = find_ui_fonts(default_font_search(options.font));
    fonts.regular = files.regular;
    fonts.bold = files.bold;
    ui.display.font_scale = options.font_scale > 0 ? options.font_scale
                                                   : std::clamp(static_cast<float>(options.height) / 720.0f, 1.0f, 3.0f);
    ui.display.theme = theme_from(options.theme);
    Theme applied_theme = ui.display.theme;
    float applied_scale = 0.0f;

    WorldView world;
    world.set_size(window.getSize());
    sf::Font label_font;
    const bool have_label_font = !files.regular.empty() && label_font.loadFromFile(files.regular);
    world.set_font(have_label_font ? &label_font : nullptr);

    for (int i = 0; i < options.autoplay; ++i) session->step();
    bool autoplay_done = options.autoplay == 0;
    bool seat_was_waiting = false;
    int frames_after = 0;
    std::vector<double> frame_ms;
    std::array<std::vector<double>, 4> phase_ms;  // build the panels, draw the map, draw the panels, present
    int exit_code = 0;

    std::signal(SIGINT, request_close);
    std::signal(SIGTERM, request_close);
    while (window.isOpen()) {
        const auto t0 = std::chrono::steady_clock::now();
        if (g_close_requested) window.close();
        sf::Event event;
        while (window.pollEvent(event)) {
            ImGui_ImplSFML_ProcessEvent(event);
            if (event.type == sf::Event::Closed) window.close();
            if (event.type == sf::Event::Resized) world.set_size({event.size.width, event.size.height});
            if (event.type == sf::Event::Resized)
                window.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width),
                                                      static_cast<float>(event.size.height))));
            world.handle_event(event, io.WantCaptureMouse, ui);
            if (event.type == sf::Event::KeyPressed && !io.WantCaptureKeyboard) {
                const auto snap = session->snapshot();
                if (event.key.code == sf::Keyboard::Space) snap->playing ? session->pause() : session->play();
                if (event.key.code == sf::Keyboard::N) session->step();
                if (event.key.code == sf::Keyboard::Q && event.key.control) window.close();
                if (event.key.code == sf::Keyboard::F12) ui.screenshot_request = fmt::format("chokepoint-T{:02}.png", snap->state.turn);
            }
        }
        if (!window.isOpen()) break;

        if (ui.display.font_scale != applied_scale || ui.display.theme != applied_theme) {
            build_fonts(fonts, ui.display.font_scale);
            apply_theme(ui.display.theme, ui.display.font_scale);
            applied_scale = ui.display.font_scale;
            applied_theme = ui.display.theme;
        }

        auto snap = session->snapshot();
        if (std::string now = window_title(*snap); now != title) {
            title = std::move(now);
            window.setTitle(sf::String::fromUtf8(title.begin(), title.end()));
        }
        // Autoplay stops early at a human seat: the game waits for that person.
        if (!autoplay_done && ((static_cast<int>(snap->history.size()) >= options.autoplay && !snap->computing) || snap->waiting))
            autoplay_done = true;

        ImGui_ImplOpenGL2_NewFrame();
        ImGui_ImplSFML_NewFrame();
        ImGui::NewFrame();
        g_backdrops.clear();

        const sf::Vector2u size = window.getSize();
        const Layout layout = compute_layout(static_cast<float>(size.x), static_cast<float>(size.y), ui.display.font_scale);
        PanelContext p{*snap, ui, *session};
        begin_fixed("Controls", layout.controls, ImGuiWindowFlags_NoTitleBar);
        controls_panel(p);
        ImGui::End();
        side_column(p, layout.side, seat_was_waiting);
        bottom_strip(p, layout.bottom);
        world.set_viewport(sf::FloatRect(layout.map.x, layout.map.y, layout.map.w, layout.map.h));
        world.update(*snap, ui);
        if (world.hovered() >= 0 && !io.WantCaptureMouse) ImGui::SetTooltip("%s", world.hover_text().c_str());
        ImGui::Render();
        const auto t_ui = std::chrono::steady_clock::now();

        // A new scenario or seed from the controls: a new session (the old worker is joined).
        if (ui.restart_requested) {
            ui.restart_requested = false;
            SessionOptions so = options.session;
            so.scenario = ui.scenario_path;
            so.seed = static_cast<std::uint64_t>(ui.seed);
            try {
                auto fresh = std::make_unique<Session>(so);
                session = std::move(fresh);
                ui.say(fmt::format("loaded {} with seed {}", so.scenario, ui.seed));
                ui.draft = SeatDraft{};
            } catch (const std::exception& e) {
                // The loader's message names the file, line and column; the current game goes on.
                ui.say(fmt::format("could not load: {}; the current game goes on", e.what()), true);
            }
        }

        window.resetGLStates();  // the OpenGL2 renderer changed state behind SFML's back last frame
        window.clear(kClearColour);
        draw_backdrops(window);
        world.draw(window);
        const auto t_map = std::chrono::steady_clock::now();
        // The map may leave a vertex buffer, texture or shader bound; ImGui's OpenGL2 renderer
        // draws from client-side arrays and would read from the buffer instead.
        sf::VertexBuffer::bind(nullptr);
        sf::Texture::bind(nullptr);
        sf::Shader::bind(nullptr);
        window.resetGLStates();
        ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
        const auto t_panels = std::chrono::steady_clock::now();

        if (autoplay_done) ++frames_after;
        const bool last = options.frames > 0 && frames_after >= options.frames;
        if (!ui.screenshot_request.empty() || (last && !options.screenshot.empty())) {
            const std::string path = last && !options.screenshot.empty() ? options.screenshot : ui.screenshot_request;
            if (save_png(window, path)) {
                ui.say("saved " + path);
            } else {
                ui.say("cannot write " + path, true);
                if (last) exit_code = 1;
            }
            ui.screenshot_request.clear();
        }
        window.display();
        const auto t_end = std::chrono::steady_clock::now();
        frame_ms.push_back(ms_between(t0, t_end));
        phase_ms[0].push_back(ms_between(t0, t_ui));
        phase_ms[1].push_back(ms_between(t_ui, t_map));
        phase_ms[2].push_back(ms_between(t_map, t_panels));
        phase_ms[3].push_back(ms_between(t_panels, t_end));
        if (last) window.close();
    }

    ImGui_ImplOpenGL2_Shutdown();
    ImGui_ImplSFML_Shutdown();
    ImGui::DestroyContext();
    session->finish();  // a turn in progress completes (a seat still deciding makes no decisions)
    {
        const auto last = session->snapshot();
        // One line for scripts and tests: where the game stood when the window closed.
        fmt::print("window closed after {} turn(s) played ({}){}\n", last->history.size(),
                   last->defs->date_of_turn(last->state.turn), last->finished ? ", game over" : "");
    }
    if (!options.out.empty()) {
        try {
            const OutputManifest m = write_outputs(session->game(), options.out);
            fmt::print("Wrote {0}/timeseries.csv, {0}/leverage.csv, {0}/events.jsonl, {0}/agreements.csv and {0}/summary.json "
                       "(run {1}, checksums in {0}/{2})\n",
                       options.out, m.run_id, kManifestName);
        } catch (const std::exception& e) {
            fmt::print(stderr, "chokepoint: {}\n", e.what());
            exit_code = 4;  // as `run`: an output error
        }
    }
    if (options.print_frame_times && frame_ms.size() > 10) {
        std::vector<double> tail(frame_ms.end() - std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(frame_ms.size()) - 5, 300),
                                 frame_ms.end());
        std::sort(tail.begin(), tail.end());
        double sum = 0;
        for (double t : tail) sum += t;
        fmt::print("frame time over the last {} frames: mean {:.2f} ms, median {:.2f} ms, p95 {:.2f} ms ({:.0f} fps)\n",
                   tail.size(), sum / static_cast<double>(tail.size()), tail[tail.size() / 2], tail[tail.size() * 95 / 100],
                   1000.0 * static_cast<double>(tail.size()) / sum);
        const auto median_tail = [&](std::vector<double> v) {
            v.erase(v.begin(), v.end() - static_cast<std::ptrdiff_t>(tail.size()));
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        fmt::print("  medians: build panels {:.2f} ms, draw map {:.2f} ms, draw panels {:.2f} ms, present {:.2f} ms\n",
                   median_tail(phase_ms[0]), median_tail(phase_ms[1]), median_tail(phase_ms[2]), median_tail(phase_ms[3]));
    }
    return exit_code;
}

}  // namespace chokepoint::view
