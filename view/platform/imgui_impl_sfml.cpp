// dear imgui: Platform Backend for SFML 2.5. See the header for features and use.
#include "view/platform/imgui_impl_sfml.hpp"

#include <imgui.h>

#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/System/Clock.hpp>
#include <SFML/System/String.hpp>
#include <SFML/Window/Clipboard.hpp>
#include <SFML/Window/Cursor.hpp>
#include <SFML/Window/Event.hpp>
#include <SFML/Window/Mouse.hpp>
#include <algorithm>
#include <array>
#include <cfloat>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

namespace {

constexpr std::size_t kKeyCount = sf::Keyboard::KeyCount;
constexpr std::size_t kButtonCount = ImGuiMouseButton_COUNT;
static_assert(kKeyCount <= sizeof(ImGuiIO::KeysDown) / sizeof(ImGuiIO::KeysDown[0]),
              "sf::Keyboard::Key must index io.KeysDown");

// Held: down now, as the events tell. Tapped: went down since the last NewFrame. imgui
// reads a key or button as down if either is true, so a press and release that arrive
// between two frames (a quick click, xdotool, a slow frame) are seen for one frame.
template <std::size_t N>
struct Buttons {
    std::array<bool, N> held{};
    std::array<bool, N> tapped{};

    void press(std::size_t i) { held[i] = tapped[i] = true; }
    void release(std::size_t i) { held[i] = false; }
    bool down(std::size_t i) const { return held[i] || tapped[i]; }
    bool any_held() const { return std::ranges::find(held, true) != held.end(); }
    void end_frame() { tapped.fill(false); }
    void clear() {
        held.fill(false);
        tapped.fill(false);
    }
};

struct ImGui_ImplSFML_Data {
    sf::RenderWindow* window = nullptr;
    sf::Clock clock;  // UI time only: animation, key repeat, double clicks
    Buttons<kKeyCount> keys;
    Buttons<kButtonCount> mouse;
    // Loaded on the first NewFrame with an open window; null where the system lacks the shape.
    std::array<std::unique_ptr<sf::Cursor>, ImGuiMouseCursor_COUNT> cursors;
    bool cursors_loaded = false;
    ImGuiMouseCursor shown_cursor = ImGuiMouseCursor_COUNT;  // none set yet
    bool cursor_visible = true;
    std::string clipboard;  // UTF-8 text returned to imgui, alive until the next request
};

// Stored in io.BackendPlatformUserData so that several imgui contexts could each have one.
ImGui_ImplSFML_Data* backend_data() {
    return ImGui::GetCurrentContext() ? static_cast<ImGui_ImplSFML_Data*>(ImGui::GetIO().BackendPlatformUserData)
                                      : nullptr;
}

std::optional<std::size_t> key_index(sf::Keyboard::Key key) {
    if (key < 0 || static_cast<std::size_t>(key) >= kKeyCount) return std::nullopt;  // sf::Keyboard::Unknown
    return static_cast<std::size_t>(key);
}

std::optional<std::size_t> button_index(sf::Mouse::Button button) {
    switch (button) {
        case sf::Mouse::Left:
            return ImGuiMouseButton_Left;
        case sf::Mouse::Right:
            return ImGuiMouseButton_Right;
        case sf::Mouse::Middle:
            return ImGuiMouseButton_Middle;
        case sf::Mouse::XButton1:
            return 3;
        case sf::Mouse::XButton2:
            return 4;
        default:
            return std::nullopt;
    }
}

sf::Cursor::Type cursor_type(ImGuiMouseCursor cursor) {
    switch (cursor) {
        case ImGuiMouseCursor_TextInput:
            return sf::Cursor::Text;
        case ImGuiMouseCursor_ResizeAll:
            return sf::Cursor::SizeAll;
        case ImGuiMouseCursor_ResizeNS:
            return sf::Cursor::SizeVertical;
        case ImGuiMouseCursor_ResizeEW:
            return sf::Cursor::SizeHorizontal;
        case ImGuiMouseCursor_ResizeNESW:
            return sf::Cursor::SizeBottomLeftTopRight;
        case ImGuiMouseCursor_ResizeNWSE:
            return sf::Cursor::SizeTopLeftBottomRight;
        case ImGuiMouseCursor_Hand:
            return sf::Cursor::Hand;
        case ImGuiMouseCursor_NotAllowed:
            return sf::Cursor::NotAllowed;
        default:
            return sf::Cursor::Arrow;
    }
}

// Control characters (C0, DEL, C1) come with Ctrl+letter, Backspace, Enter, Tab and Escape,
// which imgui reads as keys; as text they would be typed into the field.
bool is_text(sf::Uint32 c) {
    return c >= 0x20 && !(c >= 0x7F && c <= 0x9F);
}

const char* get_clipboard_text(void* user_data) {
    auto* bd = static_cast<ImGui_ImplSFML_Data*>(user_data);
    const std::basic_string<sf::Uint8> utf8 = sf::Clipboard::getString().toUtf8();
    bd->clipboard.assign(utf8.begin(), utf8.end());
    return bd->clipboard.c_str();
}

void set_clipboard_text(void* /*user_data*/, const char* text) {
    sf::Clipboard::setString(sf::String::fromUtf8(text, text + std::strlen(text)));
}

void release_everything(ImGui_ImplSFML_Data& bd, ImGuiIO& io) {
    bd.keys.clear();
    bd.mouse.clear();
    std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
    std::fill(std::begin(io.MouseDown), std::end(io.MouseDown), false);
    io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
}

void update_keys_and_buttons(ImGui_ImplSFML_Data& bd, ImGuiIO& io) {
    for (std::size_t k = 0; k < kKeyCount; ++k) io.KeysDown[k] = bd.keys.down(k);
    const auto down = [&bd](sf::Keyboard::Key key) { return bd.keys.down(static_cast<std::size_t>(key)); };
    io.KeyCtrl = down(sf::Keyboard::LControl) || down(sf::Keyboard::RControl);
    io.KeyShift = down(sf::Keyboard::LShift) || down(sf::Keyboard::RShift);
    io.KeyAlt = down(sf::Keyboard::LAlt) || down(sf::Keyboard::RAlt);
    io.KeySuper = down(sf::Keyboard::LSystem) || down(sf::Keyboard::RSystem);
    for (std::size_t b = 0; b < kButtonCount; ++b) io.MouseDown[b] = bd.mouse.down(b);
    bd.keys.end_frame();
    bd.mouse.end_frame();
}

void update_mouse_cursor(ImGui_ImplSFML_Data& bd, const ImGuiIO& io) {
    if ((io.ConfigFlags & ImGuiConfigFlags_NoMouseCursorChange) || !bd.window->isOpen()) return;
    const ImGuiMouseCursor wanted = ImGui::GetMouseCursor();
    const bool visible = !io.MouseDrawCursor && wanted != ImGuiMouseCursor_None;
    if (visible != bd.cursor_visible) {
        bd.window->setMouseCursorVisible(visible);
        bd.cursor_visible = visible;
    }
    if (!visible || wanted == bd.shown_cursor) return;
    if (!bd.cursors_loaded) {
        for (std::size_t c = 0; c < bd.cursors.size(); ++c) {
            auto cursor = std::make_unique<sf::Cursor>();
            if (cursor->loadFromSystem(cursor_type(static_cast<ImGuiMouseCursor>(c))))
                bd.cursors[c] = std::move(cursor);
        }
        bd.cursors_loaded = true;
    }
    const auto& shape = bd.cursors[static_cast<std::size_t>(wanted)];
    const sf::Cursor* cursor = shape ? shape.get() : bd.cursors[ImGuiMouseCursor_Arrow].get();
    if (cursor) bd.window->setMouseCursor(*cursor);
    bd.shown_cursor = wanted;
}

}  // namespace

bool ImGui_ImplSFML_Init(sf::RenderWindow& window) {
    ImGuiIO& io = ImGui::GetIO();
    IM_ASSERT(io.BackendPlatformUserData == nullptr && "Already initialized a platform backend!");
    if (io.BackendPlatformUserData != nullptr) return false;

    auto* bd = IM_NEW(ImGui_ImplSFML_Data)();
    bd->window = &window;
    io.BackendPlatformUserData = bd;
    io.BackendPlatformName = "imgui_impl_sfml";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors | ImGuiBackendFlags_HasSetMousePos;

    // io.KeysDown[] is indexed by sf::Keyboard::Key.
    io.KeyMap[ImGuiKey_Tab] = sf::Keyboard::Tab;
    io.KeyMap[ImGuiKey_LeftArrow] = sf::Keyboard::Left;
    io.KeyMap[ImGuiKey_RightArrow] = sf::Keyboard::Right;
    io.KeyMap[ImGuiKey_UpArrow] = sf::Keyboard::Up;
    io.KeyMap[ImGuiKey_DownArrow] = sf::Keyboard::Down;
    io.KeyMap[ImGuiKey_PageUp] = sf::Keyboard::PageUp;
    io.KeyMap[ImGuiKey_PageDown] = sf::Keyboard::PageDown;
    io.KeyMap[ImGuiKey_Home] = sf::Keyboard::Home;
    io.KeyMap[ImGuiKey_End] = sf::Keyboard::End;
    io.KeyMap[ImGuiKey_Insert] = sf::Keyboard::Insert;
    io.KeyMap[ImGuiKey_Delete] = sf::Keyboard::Delete;
    io.KeyMap[ImGuiKey_Backspace] = sf::Keyboard::Backspace;
    io.KeyMap[ImGuiKey_Space] = sf::Keyboard::Space;
    io.KeyMap[ImGuiKey_Enter] = sf::Keyboard::Enter;
    io.KeyMap[ImGuiKey_Escape] = sf::Keyboard::Escape;
    io.KeyMap[ImGuiKey_KeyPadEnter] = sf::Keyboard::Enter;  // SFML 2.5 reports both as Enter
    io.KeyMap[ImGuiKey_A] = sf::Keyboard::A;
    io.KeyMap[ImGuiKey_C] = sf::Keyboard::C;
    io.KeyMap[ImGuiKey_V] = sf::Keyboard::V;
    io.KeyMap[ImGuiKey_X] = sf::Keyboard::X;
    io.KeyMap[ImGuiKey_Y] = sf::Keyboard::Y;
    io.KeyMap[ImGuiKey_Z] = sf::Keyboard::Z;

    io.SetClipboardTextFn = set_clipboard_text;
    io.GetClipboardTextFn = get_clipboard_text;
    io.ClipboardUserData = bd;

    const sf::Vector2u size = window.getSize();
    io.DisplaySize = ImVec2(static_cast<float>(size.x), static_cast<float>(size.y));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    return true;
}

void ImGui_ImplSFML_Shutdown() {
    ImGui_ImplSFML_Data* bd = backend_data();
    IM_ASSERT(bd != nullptr && "No platform backend to shutdown, or already shutdown?");
    if (bd == nullptr) return;
    ImGuiIO& io = ImGui::GetIO();

    // The window must not keep a cursor freed below: SFML would set it again later (when the
    // window closes, an X error ends the program). An unloaded sf::Cursor is X11's None, the
    // default cursor.
    if (bd->window->isOpen()) {
        const sf::Cursor plain;
        bd->window->setMouseCursor(plain);
        bd->window->setMouseCursorVisible(true);
    }
    io.SetClipboardTextFn = nullptr;
    io.GetClipboardTextFn = nullptr;
    io.ClipboardUserData = nullptr;
    io.BackendPlatformName = nullptr;
    io.BackendPlatformUserData = nullptr;
    io.BackendFlags &= ~(ImGuiBackendFlags_HasMouseCursors | ImGuiBackendFlags_HasSetMousePos);
    IM_DELETE(bd);
}

void ImGui_ImplSFML_NewFrame() {
    ImGui_ImplSFML_Data* bd = backend_data();
    IM_ASSERT(bd != nullptr && "Did you call ImGui_ImplSFML_Init()?");
    ImGuiIO& io = ImGui::GetIO();

    if (bd->window->isOpen()) {
        const sf::Vector2u size = bd->window->getSize();
        io.DisplaySize = ImVec2(static_cast<float>(size.x), static_cast<float>(size.y));
    }
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    io.DeltaTime = std::max(bd->clock.restart().asSeconds(), 1e-6f);  // imgui asserts > 0

    if (io.WantSetMousePos && bd->window->isOpen() && bd->window->hasFocus())
        sf::Mouse::setPosition(sf::Vector2i(static_cast<int>(io.MousePos.x), static_cast<int>(io.MousePos.y)),
                               *bd->window);
    update_keys_and_buttons(*bd, io);
    update_mouse_cursor(*bd, io);
}

bool ImGui_ImplSFML_ProcessEvent(const sf::Event& event) {
    ImGui_ImplSFML_Data* bd = backend_data();
    IM_ASSERT(bd != nullptr && "Did you call ImGui_ImplSFML_Init()?");
    ImGuiIO& io = ImGui::GetIO();
    const auto mouse_at = [&io](int x, int y) { io.MousePos = ImVec2(static_cast<float>(x), static_cast<float>(y)); };

    switch (event.type) {
        case sf::Event::KeyPressed:
            if (const auto k = key_index(event.key.code)) bd->keys.press(*k);
            return io.WantCaptureKeyboard;
        case sf::Event::KeyReleased:
            if (const auto k = key_index(event.key.code)) bd->keys.release(*k);
            return io.WantCaptureKeyboard;
        case sf::Event::TextEntered:
            if (is_text(event.text.unicode)) io.AddInputCharacter(event.text.unicode);
            return io.WantCaptureKeyboard;
        case sf::Event::MouseMoved:
            mouse_at(event.mouseMove.x, event.mouseMove.y);
            return io.WantCaptureMouse;
        case sf::Event::MouseButtonPressed:
        case sf::Event::MouseButtonReleased:
            mouse_at(event.mouseButton.x, event.mouseButton.y);
            if (const auto b = button_index(event.mouseButton.button)) {
                if (event.type == sf::Event::MouseButtonPressed)
                    bd->mouse.press(*b);
                else
                    bd->mouse.release(*b);
            }
            return io.WantCaptureMouse;
        case sf::Event::MouseWheelScrolled:
            mouse_at(event.mouseWheelScroll.x, event.mouseWheelScroll.y);
            // SFML and imgui agree on signs: positive is up, and left for the horizontal wheel.
            if (event.mouseWheelScroll.wheel == sf::Mouse::HorizontalWheel)
                io.MouseWheelH += event.mouseWheelScroll.delta;
            else
                io.MouseWheel += event.mouseWheelScroll.delta;
            return io.WantCaptureMouse;
        case sf::Event::MouseLeft:
            // While a button is held (dragging a window out of ours), keep following the mouse.
            if (!bd->mouse.any_held()) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            return false;
        case sf::Event::LostFocus:
            release_everything(*bd, io);  // the key-up events will go to another window
            io.AddFocusEvent(false);
            return false;
        case sf::Event::GainedFocus:
            io.AddFocusEvent(true);
            return false;
        case sf::Event::Resized:
            io.DisplaySize = ImVec2(static_cast<float>(event.size.width), static_cast<float>(event.size.height));
            return false;
        default:
            return false;
    }
}
