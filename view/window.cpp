#include "view/window.hpp"

#include <backends/imgui_impl_opengl2.h>
#include <fmt/core.h>
#include <imgui.h>
#include <malloc.h>

#include <SFML/Graphics.hpp>
#include <SFML/OpenGL.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "engine/output/writers.hpp"
#include "engine/world/names.hpp"
#include "server/join_info.hpp"
#include "view/fonts.hpp"
#include "view/platform/imgui_impl_sfml.hpp"
#include "view/shell/game_files.hpp"
#include "view/ui/layout.hpp"

namespace chokepoint::view {

namespace {

// Ctrl+C in the terminal or a SIGTERM closes the window properly (the last line still prints).
std::atomic<bool> g_close_requested{false};

// While idle, the loop looks for input this often (an input is answered within this delay).
constexpr int kIdlePollMs = 25;

// A turn is being worked out (the top bar animates "computing..."); a seat deciding or speaking in
// a negotiation round is not: the game waits for people, like a pause.
bool busy(const Snapshot& s) { return s.computing && !s.waiting && !s.talking; }
extern "C" void request_close(int) { g_close_requested = true; }

Theme theme_from(const std::string& s) {
    if (s == "light") return Theme::Light;
    if (s == "high-contrast" || s == "high_contrast" || s == "contrast") return Theme::HighContrast;
    return Theme::Dark;
}

sf::String utf8(const std::string& s) { return sf::String::fromUtf8(s.begin(), s.end()); }

}  // namespace

std::string window_title(const Snapshot& s) {
    const int played = static_cast<int>(s.history.size());
    std::string t = fmt::format("Chokepoint - {} - turn {}/{}", s.defs->scenario_name,
                                std::min(played + (s.finished ? 0 : 1), s.turn_limit), s.turn_limit);
    if (s.waiting) t += " - waiting for " + display_name(s.defs->countries[s.waiting->seat]);
    if (s.talking) t += " - negotiation: " + display_name(s.defs->countries[s.talking->seat]);
    if (s.finished) t += " - game over";
    return t;
}

bool Window::init(const ViewOptions& options) {
    options_ = options;
    ui_.open_tab = options.tab;
    ui_.screenshot_dir = options.shots;
    ui_.export_report = options.export_report;
    SessionOptions opening = options.session;
    std::string folder;
    if (options.autosave) {
        // New games go beside a loaded or named game file, else into the games folder.
        const std::string& named = !opening.save.empty() ? opening.save : opening.load;
        folder = named.empty() ? games_folder() : std::filesystem::path(named).parent_path().string();
        if (folder.empty() && !named.empty()) folder = ".";
        if (opening.save.empty() && opening.load.empty() && !folder.empty())
            opening.save = new_game_path(folder, opening.scenario, time_stamp());
    }
    // Going back in a loaded game never drops its later turns: the branch gets a file of its own.
    if (opening.at && opening.save.empty()) opening.save = branch_path(opening.load, *opening.at);
    restart_ = std::make_unique<GameRestart>(opening, folder);
    session_ = restart_->first(ui_);
    if (const auto s = session_->snapshot(); !s->game_file.empty())
        fmt::print("The game is saved after every turn in {}{}\n", s->game_file,
                   s->loaded_turns > 0 ? fmt::format(" ({} turns loaded)", s->loaded_turns) : std::string());
    else
        fmt::print("This game is not saved in a game file{}\n", options.autosave ? " (no folder for games could be made)" : "");
    std::fflush(stdout);
    screenshots_ = std::make_unique<Screenshots>(options.screenshot);

    // The title names the scenario (window managers and xdotool find it by that).
    title_ = window_title(*session_->snapshot());
    window_.create(sf::VideoMode(options.width, options.height), utf8(title_));
    if (options.frames == 0) window_.setVerticalSyncEnabled(true);
    window_.setFramerateLimit(options.frames == 0 ? 60 : 0);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is computed, nothing to save
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    if (!ImGui_ImplSFML_Init(window_)) return false;
    ImGui_ImplOpenGL2_Init();

    const UiFontFiles files = find_ui_fonts(default_font_search(options.font));
    style_ = std::make_unique<UiStyle>(files);
    ui_.display.font_scale = options.font_scale > 0 ? options.font_scale
                                                    : std::clamp(static_cast<float>(options.height) / 720.0f, 1.0f, 3.0f);
    ui_.display.theme = theme_from(options.theme);
    {
        // The legend starts hidden where it would cover most of the map.
        const Layout first = compute_layout(static_cast<float>(options.width), static_cast<float>(options.height),
                                            ui_.display.font_scale);
        ui_.display.legend = legend_fits(first, ui_.display.font_scale);
    }

    world_ = std::make_unique<WorldView>();
    world_->set_size(window_.getSize());
    const bool have_label_font = !files.regular.empty() && label_font_.loadFromFile(files.regular);
    world_->set_font(have_label_font ? &label_font_ : nullptr);

    if (options.serve) start_serving();
    for (int i = 0; i < options.autoplay; ++i) session_->step();
    autoplay_done_ = options.autoplay == 0;
    return true;
}

void Window::start_serving() {
    const auto snap = session_->snapshot();
    std::vector<std::string> seats;
    for (CountryId c : snap->defs->country_ids())
        if (snap->human[c]) seats.push_back(snap->defs->countries[c].id);
    access_ = std::make_unique<server::SeatAccess>(seats);
    server_ = std::make_unique<server::GameServer>(*session_, *access_, serve_options(options_.serve->port));
    serve_ui();
    fmt::print("Serving the teams' page on {} (teams type their code, or open their link):\n", ui_.serving->url);
    for (const JoinSeat& j : ui_.serving->seats()) fmt::print("seat {:<10} code {}  {}  ({})\n", j.seat, j.code, j.url, j.name);
    std::fflush(stdout);
}

server::ServerOptions Window::serve_options(int port) const {
    server::ServerOptions o;
    o.bind = options_.serve->bind;
    o.port = static_cast<unsigned short>(port);
    o.web_dir = server::web_folder();
    o.tls_cert = options_.serve->tls_cert;
    o.tls_key = options_.serve->tls_key;
    return o;
}

// New game or Open while teams play from browsers: the server stopped before the session was
// replaced (no browser acts on a game being torn down) and serves the new one on the same port.
// A seat still played by people keeps its code and its browsers' tokens, so the teams' pages
// reconnect into the new game by themselves; a seat people no longer play loses its code, and a
// new one gets a code on the join screen, which then opens.
void Window::serve_again(int port) {
    const auto snap = session_->snapshot();
    std::vector<std::string> seats;
    for (CountryId c : snap->defs->country_ids())
        if (snap->human[c]) seats.push_back(snap->defs->countries[c].id);
    for (const auto& seat : access_->seats())
        if (std::find(seats.begin(), seats.end(), seat) == seats.end()) access_->remove_seat(seat);
    bool added = false;
    for (const auto& seat : seats) {
        added = added || !access_->has_seat(seat);
        access_->add_seat(seat);
    }
    try {
        server_ = std::make_unique<server::GameServer>(*session_, *access_, serve_options(port));
    } catch (const std::exception& e) {
        ui_.serving.reset();
        ui_.join_open = false;
        ui_.say(fmt::format("the teams' page is no longer served: {}", e.what()), true);
        return;
    }
    if (added) ui_.join_open = true;  // a seat with a new code: the join screen shows it
    ui_.say(fmt::format("the teams' page serves the new game on {}", ui_.serving->url));
}

void Window::serve_ui() {
    const server::ServerOptions o = serve_options(server_->port());
    auto serving = std::make_shared<Serving>();
    serving->url = server::base_url(o.bind, server_->port(), !o.tls_cert.empty());
    serving->seats = [this, url = serving->url] {
        std::vector<JoinSeat> out;
        const auto s = session_->snapshot();
        for (const auto& c : server_->connections()) {
            const CountryId id = s->defs->country_id(c.seat);
            const std::string code = access_->code(c.seat);
            out.push_back({c.seat, id == kNoCountry ? c.seat : display_name(s->defs->countries[id]), code,
                           server::join_url(url, code), c.connected});
        }
        return out;
    };
    serving->new_code = [this](const std::string& seat) {
        access_->kick(seat);
        server_->disconnect(seat);
        ui_.say(fmt::format("{} has a new code: {}", seat, access_->code(seat)));
    };
    serving->add_seat = [this](const std::string& seat) { access_->add_seat(seat); };
    serving->qr_texture = [this](const std::string& text) -> std::pair<std::uintptr_t, int> {
        auto it = qr_textures_.find(text);
        if (it == qr_textures_.end()) {
            const auto modules = server::qr_modules(text);
            if (modules.empty()) return {0, 0};
            // Four pixels a module and a quiet zone of four modules, dark on white, scaled without smoothing.
            const int n = static_cast<int>(modules.size()), quiet = 4, scale = 4, side = (n + 2 * quiet) * scale;
            sf::Image image;
            image.create(side, side, sf::Color::White);
            for (int y = 0; y < n; ++y)
                for (int x = 0; x < n; ++x)
                    if (modules[y][x])
                        for (int dy = 0; dy < scale; ++dy)
                            for (int dx = 0; dx < scale; ++dx)
                                image.setPixel((x + quiet) * scale + dx, (y + quiet) * scale + dy, sf::Color::Black);
            sf::Texture texture;
            texture.loadFromImage(image);
            it = qr_textures_.emplace(text, std::move(texture)).first;
        }
        return {static_cast<std::uintptr_t>(it->second.getNativeHandle()), static_cast<int>(it->second.getSize().x)};
    };
    ui_.serving = serving;
    ui_.join_open = true;
}

bool Window::poll_events() {
    stats_.begin_frame();
    sf::Event event;
    while (window_.pollEvent(event)) process_event(event);
    return window_.isOpen();
}

void Window::process_event(const sf::Event& event) {
    const ImGuiIO& io = ImGui::GetIO();
    settle_frames_ = kSettleFrames;
    ImGui_ImplSFML_ProcessEvent(event);
    if (event.type == sf::Event::Closed) request_discard(*session_->snapshot(), ui_, UiState::Discard::Quit);
    if (event.type == sf::Event::Resized) {
        world_->set_size({event.size.width, event.size.height});
        window_.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(event.size.width),
                                               static_cast<float>(event.size.height))));
    }
    world_->handle_event(event, io.WantCaptureMouse, ui_);
    // Shortcuts work wherever the focus is, except while a text field takes the keys.
    if (event.type == sf::Event::KeyPressed && !io.WantTextInput) {
        const auto snap = session_->snapshot();
        if (event.key.code == sf::Keyboard::Space) snap->playing ? session_->pause() : session_->play();
        if (event.key.code == sf::Keyboard::N) session_->step();
        if (event.key.code == sf::Keyboard::Q && event.key.control) request_discard(*snap, ui_, UiState::Discard::Quit);
        if (event.key.code == sf::Keyboard::F12) ui_.screenshot_turn = snap->state.turn;
    }
}

bool Window::idle() const {
    if (settle_frames_ > 0 || options_.frames > 0 || !autoplay_done_) return false;
    if (ui_.restart_requested || ui_.quit_confirmed || ui_.screenshot_turn >= 0) return false;
    if (ImGui::GetIO().WantTextInput) return false;  // the text cursor blinks
    const auto snap = session_->snapshot();
    // A running negotiation clock is drawn once a second (its text changes), and only then.
    if (talks_status(*snap) != shown_clock_) return false;
    return snap->version == drawn_version_ && !snap->playing && !busy(*snap);
}

void Window::new_frame() {
    style_->apply(ui_.display);
    const auto snap = session_->snapshot();
    if (snap->version != drawn_version_ || snap->playing || busy(*snap)) settle_frames_ = kSettleFrames;
    drawn_version_ = snap->version;
    if (settle_frames_ > 0) --settle_frames_;
    if (std::string now = window_title(*snap); now != title_) {
        title_ = std::move(now);
        window_.setTitle(utf8(title_));
    }
    // Autoplay stops early at a human seat: the game waits for that person.
    if (!autoplay_done_ && ((static_cast<int>(snap->history.size()) >= options_.autoplay && !snap->computing) || snap->waiting || snap->talking))
        autoplay_done_ = true;

    ImGui_ImplOpenGL2_NewFrame();
    ImGui_ImplSFML_NewFrame();
    ImGui::NewFrame();
    const sf::Vector2u size = window_.getSize();
    const Layout layout = compute_layout(static_cast<float>(size.x), static_cast<float>(size.y), ui_.display.font_scale,
                                         ui_.controls_height);
    PanelContext p{*snap, ui_, *session_};
    shown_clock_ = talks_status(*snap);
    sync_team_view(*snap, ui_);
    panels_.build(p, layout);
    if (!handover_screen(p)) {
        briefing_screen(p);
        deal_screen(p);
    }
    results_screen(p);
    join_screen(p);
    confirm_discard_screen(p);
    world_->set_viewport(sf::FloatRect(layout.map.x, layout.map.y, layout.map.w, layout.map.h));
    world_->update(*snap, ui_);
    if (world_->hovered() && !ImGui::GetIO().WantCaptureMouse) ImGui::SetTooltip("%s", world_->hover_text().c_str());
    ImGui::Render();
    stats_.mark(FrameStats::BuildPanels);
}

void Window::render() {
    // A new scenario or seed, or a game file, from the controls. While serving, the server stops
    // first and serves whatever game the window has afterwards (the same one when it failed to start).
    const bool reserve = server_ && ui_.restart_requested;
    const int port = reserve ? server_->port() : 0;
    if (reserve) server_.reset();
    restart_->apply(ui_, session_);
    if (reserve) serve_again(port);

    window_.resetGLStates();  // the OpenGL2 renderer changed state behind SFML's back last frame
    window_.clear(kClearColour);
    panels_.draw_backdrops(window_);
    world_->draw(window_);
    stats_.mark(FrameStats::DrawMap);
    // The map may leave a vertex buffer, texture or shader bound; ImGui's OpenGL2 renderer
    // draws from client-side arrays and would read from the buffer instead.
    sf::VertexBuffer::bind(nullptr);
    sf::Texture::bind(nullptr);
    sf::Shader::bind(nullptr);
    window_.resetGLStates();
    ImGui_ImplOpenGL2_RenderDrawData(ImGui::GetDrawData());
    stats_.mark(FrameStats::DrawPanels);

    if (autoplay_done_) ++frames_after_;
    const bool last = options_.frames > 0 && frames_after_ >= options_.frames;
    if (!screenshots_->take(window_, ui_, last)) exit_code_ = 1;
    window_.display();
    stats_.end_frame();
    if (last || ui_.quit_confirmed) window_.close();
}

int Window::shutdown() {
    if (server_) server_->stop();  // before the session finishes: no browser acts on it any more
    qr_textures_.clear();           // while the OpenGL context lives
    ImGui_ImplOpenGL2_Shutdown();
    ImGui_ImplSFML_Shutdown();
    ImGui::DestroyContext();
    session_->finish();  // a turn in progress completes (a seat still deciding makes no decisions)
    {
        const auto last = session_->snapshot();
        // One line for scripts and tests: where the game stood when the window closed.
        fmt::print("window closed after {} turn(s) played ({}){}\n", last->history.size(),
                   last->defs->date_of_turn(last->state.turn), last->finished ? ", game over" : "");
        if (!last->game_file.empty()) {
            if (!last->save_error.empty()) fmt::print("The last turns could NOT be saved: {}\n", last->save_error);
            fmt::print("The game is saved in {} ({} turns){}\n", last->game_file, last->saved_turns,
                       last->finished ? std::string()
                                      : fmt::format("; go on with: chokepoint play --load {}", last->game_file));
        }
    }
    if (!options_.out.empty()) {
        if (!session_->snapshot()->history.empty()) fmt::print("{}", final_report(session_->game()));  // as `run` prints
        try {
            const OutputManifest m = write_outputs(session_->game(), options_.out);
            fmt::print("Wrote {0}/timeseries.csv, {0}/leverage.csv, {0}/events.jsonl, {0}/agreements.csv and {0}/summary.json "
                       "(run {1}, checksums in {0}/{2})\n",
                       options_.out, m.run_id, kManifestName);
        } catch (const std::exception& e) {
            fmt::print(stderr, "chokepoint: {}\n", e.what());
            exit_code_ = 4;  // as `run`: an output error
        }
    }
    if (options_.print_frame_times) stats_.print();
    return exit_code_;
}

int run_view(const ViewOptions& options) {
    // Mesa's software renderer and ImGui allocate and free multi-megabyte buffers every frame;
    // glibc's defaults hand them back to the kernel each time (mmap/munmap, heap trimming), and
    // the page faults on the way back cost more than the drawing: 17 -> 11 ms per frame under
    // Xvfb (docs/performance.md). Keep freed memory in the process instead.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    Window window;
    if (!window.init(options)) return 1;
    std::signal(SIGINT, request_close);
    std::signal(SIGTERM, request_close);
    while (window.is_open()) {
        if (g_close_requested) window.close();
        if (!window.poll_events()) break;
        if (window.idle()) {  // paused and untouched: wait for input instead of redrawing
            std::this_thread::sleep_for(std::chrono::milliseconds(kIdlePollMs));
            continue;
        }
        window.new_frame();
        window.render();
    }
    return window.shutdown();
}

}  // namespace chokepoint::view
