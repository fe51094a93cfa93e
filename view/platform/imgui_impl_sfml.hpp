// dear imgui: Platform Backend for SFML 2.5 (Chokepoint's own, in the style of imgui's backends)
// This needs to be used along with a Renderer; Chokepoint uses imgui_impl_opengl2 from Debian's
// libimgui (1.86), called by the application.
//
// Implemented features:
//  [X] Platform: Keyboard through the 1.86 io.KeyMap[]/io.KeysDown[] API, indexed by sf::Keyboard::Key,
//      with Ctrl/Shift/Alt/Super modifiers. A key pressed and released between two frames still
//      reads as down for one frame. SFML 2.5 does not tell the keypad's Enter from Enter, so
//      ImGuiKey_KeyPadEnter maps to sf::Keyboard::Enter.
//  [X] Platform: Text input from sf::Event::TextEntered, control characters left out.
//  [X] Platform: Mouse position, buttons (left, right, middle, X1, X2; a click shorter than a frame
//      is not lost), vertical and horizontal wheel; io.WantSetMousePos honoured.
//  [X] Platform: Focus loss releases every key, modifier and mouse button (no key stuck down after Alt+Tab).
//  [X] Platform: Mouse cursor shape and visibility (sf::Cursor). Disable with
//      'io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange'.
//  [X] Platform: Clipboard through sf::Clipboard (UTF-8).
//  [X] Platform: Display size follows the window (no HiDPI in SFML 2.5: framebuffer scale is 1).
//  [ ] Platform: Gamepad, touch, IME.
//
// Use: Init after creating the window and ImGui's context; each frame, give every event to
// ProcessEvent, then call ImGui_ImplOpenGL2_NewFrame, ImGui_ImplSFML_NewFrame, ImGui::NewFrame.
// SFML caches OpenGL state: call window.resetGLStates() before drawing with SFML after the
// OpenGL2 renderer has drawn.
#pragma once

namespace sf {
class Event;
class RenderWindow;
}  // namespace sf

// Keeps a reference to the window until Shutdown. Returns false if a platform backend is already set.
bool ImGui_ImplSFML_Init(sf::RenderWindow& window);
void ImGui_ImplSFML_Shutdown();
// Display size, delta time (from the backend's own clock: UI animation only, never game time),
// keys, mouse buttons and cursor.
void ImGui_ImplSFML_NewFrame();
// Feeds one event to imgui. Returns true when imgui wants this event for itself (a mouse event
// while io.WantCaptureMouse, a key or text event while io.WantCaptureKeyboard), so the
// application should not act on it too. Flags are those of the previous frame, as usual in imgui.
bool ImGui_ImplSFML_ProcessEvent(const sf::Event& event);
