// The SFML platform binding for imgui: view/platform/imgui_impl_sfml. The window is never
// opened (events are made by hand), but SFML still wants an X display to construct one.
#include "view/platform/imgui_impl_sfml.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Window/Event.hpp>
#include <cfloat>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

sf::Event key(sf::Event::EventType type, sf::Keyboard::Key code) {
    sf::Event e{};
    e.type = type;
    e.key.code = code;
    return e;
}
sf::Event press(sf::Keyboard::Key code) {
    return key(sf::Event::KeyPressed, code);
}
sf::Event release(sf::Keyboard::Key code) {
    return key(sf::Event::KeyReleased, code);
}

sf::Event button(sf::Event::EventType type, sf::Mouse::Button which, int x = 10, int y = 20) {
    sf::Event e{};
    e.type = type;
    e.mouseButton = {which, x, y};
    return e;
}

sf::Event simple(sf::Event::EventType type) {
    sf::Event e{};
    e.type = type;
    return e;
}

sf::Event text(sf::Uint32 c) {
    sf::Event e{};
    e.type = sf::Event::TextEntered;
    e.text.unicode = c;
    return e;
}

sf::Event wheel(sf::Mouse::Wheel which, float delta) {
    sf::Event e{};
    e.type = sf::Event::MouseWheelScrolled;
    e.mouseWheelScroll = {which, delta, 5, 6};
    return e;
}

class ImGuiSfmlBinding : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::getenv("DISPLAY") == nullptr) GTEST_SKIP() << "SFML needs an X display to construct a window";
        window_ = std::make_unique<sf::RenderWindow>();  // never opened
        ImGui::CreateContext();
        ASSERT_TRUE(ImGui_ImplSFML_Init(*window_));
    }
    void TearDown() override {
        if (!window_) return;
        ImGui_ImplSFML_Shutdown();
        ImGui::DestroyContext();
    }
    static ImGuiIO& io() { return ImGui::GetIO(); }
    static bool key_down(sf::Keyboard::Key k) { return io().KeysDown[k]; }

    std::unique_ptr<sf::RenderWindow> window_;
};

TEST_F(ImGuiSfmlBinding, InitFillsTheBackendFieldsAndShutdownClearsThem) {
    EXPECT_NE(io().BackendPlatformUserData, nullptr);
    EXPECT_EQ(std::string(io().BackendPlatformName), "imgui_impl_sfml");
    EXPECT_TRUE(io().BackendFlags & ImGuiBackendFlags_HasMouseCursors);
    EXPECT_NE(io().GetClipboardTextFn, nullptr);
    EXPECT_NE(io().SetClipboardTextFn, nullptr);
    EXPECT_EQ(io().KeyMap[ImGuiKey_Tab], sf::Keyboard::Tab);
    EXPECT_EQ(io().KeyMap[ImGuiKey_C], sf::Keyboard::C);
    EXPECT_EQ(io().KeyMap[ImGuiKey_KeyPadEnter], sf::Keyboard::Enter);

    ImGui_ImplSFML_Shutdown();
    EXPECT_EQ(io().BackendPlatformUserData, nullptr);
    EXPECT_EQ(io().BackendPlatformName, nullptr);
    EXPECT_EQ(io().GetClipboardTextFn, nullptr);
    ASSERT_TRUE(ImGui_ImplSFML_Init(*window_));  // for TearDown
}

TEST_F(ImGuiSfmlBinding, HeldKeyIsDownUntilReleased) {
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::Left));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(key_down(sf::Keyboard::Left));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(key_down(sf::Keyboard::Left));
    ImGui_ImplSFML_ProcessEvent(release(sf::Keyboard::Left));
    ImGui_ImplSFML_NewFrame();
    EXPECT_FALSE(key_down(sf::Keyboard::Left));
}

TEST_F(ImGuiSfmlBinding, KeyTappedBetweenTwoFramesIsDownForOneFrame) {
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::Backspace));
    ImGui_ImplSFML_ProcessEvent(release(sf::Keyboard::Backspace));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(key_down(sf::Keyboard::Backspace));
    ImGui_ImplSFML_NewFrame();
    EXPECT_FALSE(key_down(sf::Keyboard::Backspace));
}

TEST_F(ImGuiSfmlBinding, ModifiersComeFromEitherSideOfTheKeyboard) {
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::RControl));
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::LShift));
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::RAlt));
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::LSystem));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(io().KeyCtrl);
    EXPECT_TRUE(io().KeyShift);
    EXPECT_TRUE(io().KeyAlt);
    EXPECT_TRUE(io().KeySuper);
    ImGui_ImplSFML_ProcessEvent(release(sf::Keyboard::RControl));
    ImGui_ImplSFML_NewFrame();
    EXPECT_FALSE(io().KeyCtrl);
    EXPECT_TRUE(io().KeyShift);
}

TEST_F(ImGuiSfmlBinding, CtrlCTypedWithinOneFrameStillReadsAsCtrlC) {
    // What xdotool's "ctrl+c" does: all four events before the next frame.
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::LControl));
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::C));
    ImGui_ImplSFML_ProcessEvent(release(sf::Keyboard::C));
    ImGui_ImplSFML_ProcessEvent(release(sf::Keyboard::LControl));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(io().KeyCtrl);
    EXPECT_TRUE(key_down(sf::Keyboard::C));
}

TEST_F(ImGuiSfmlBinding, UnknownKeyIsIgnored) {
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::Unknown));
    ImGui_ImplSFML_NewFrame();
    for (bool down : io().KeysDown) EXPECT_FALSE(down);
}

TEST_F(ImGuiSfmlBinding, LostFocusReleasesKeysModifiersAndButtons) {
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::LAlt));
    ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::Tab));
    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonPressed, sf::Mouse::Left));
    ImGui_ImplSFML_NewFrame();
    ASSERT_TRUE(io().KeyAlt && key_down(sf::Keyboard::Tab) && io().MouseDown[0]);

    ImGui_ImplSFML_ProcessEvent(simple(sf::Event::LostFocus));  // the releases go to the other window
    EXPECT_FALSE(io().KeyAlt);
    EXPECT_FALSE(key_down(sf::Keyboard::Tab));
    EXPECT_FALSE(io().MouseDown[0]);
    ImGui_ImplSFML_NewFrame();
    EXPECT_FALSE(io().KeyAlt);
    EXPECT_FALSE(key_down(sf::Keyboard::Tab));
    EXPECT_FALSE(io().MouseDown[0]);
}

TEST_F(ImGuiSfmlBinding, TextSkipsControlCharacters) {
    for (sf::Uint32 c : {sf::Uint32{'a'}, sf::Uint32{0x08}, sf::Uint32{'\r'}, sf::Uint32{0x03}, sf::Uint32{0x7F},
                         sf::Uint32{0x9B}, sf::Uint32{0x00E9}, sf::Uint32{0x7A00}})
        ImGui_ImplSFML_ProcessEvent(text(c));
    const ImVector<ImWchar>& queue = io().InputQueueCharacters;
    ASSERT_EQ(queue.Size, 3);
    EXPECT_EQ(queue[0], 'a');
    EXPECT_EQ(queue[1], 0x00E9);  // é
    EXPECT_EQ(queue[2], 0x7A00);  // a CJK ideograph
}

TEST_F(ImGuiSfmlBinding, ClickShorterThanAFrameIsNotLost) {
    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonPressed, sf::Mouse::Right, 30, 40));
    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonReleased, sf::Mouse::Right, 30, 40));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(io().MouseDown[ImGuiMouseButton_Right]);
    EXPECT_FLOAT_EQ(io().MousePos.x, 30.0f);
    EXPECT_FLOAT_EQ(io().MousePos.y, 40.0f);
    ImGui_ImplSFML_NewFrame();
    EXPECT_FALSE(io().MouseDown[ImGuiMouseButton_Right]);
}

TEST_F(ImGuiSfmlBinding, ExtraMouseButtonsHaveTheirOwnSlots) {
    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonPressed, sf::Mouse::Middle));
    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonPressed, sf::Mouse::XButton2));
    ImGui_ImplSFML_NewFrame();
    EXPECT_TRUE(io().MouseDown[2]);
    EXPECT_TRUE(io().MouseDown[4]);
    EXPECT_FALSE(io().MouseDown[0]);
    EXPECT_FALSE(io().MouseDown[3]);
}

TEST_F(ImGuiSfmlBinding, WheelsAddUpUntilTheFrame) {
    ImGui_ImplSFML_ProcessEvent(wheel(sf::Mouse::VerticalWheel, 1.0f));
    ImGui_ImplSFML_ProcessEvent(wheel(sf::Mouse::VerticalWheel, 0.5f));
    ImGui_ImplSFML_ProcessEvent(wheel(sf::Mouse::HorizontalWheel, -2.0f));
    EXPECT_FLOAT_EQ(io().MouseWheel, 1.5f);
    EXPECT_FLOAT_EQ(io().MouseWheelH, -2.0f);
    EXPECT_FLOAT_EQ(io().MousePos.x, 5.0f);
}

TEST_F(ImGuiSfmlBinding, MouseLeavingTheWindowHasNoPositionUnlessDragging) {
    sf::Event moved{};
    moved.type = sf::Event::MouseMoved;
    moved.mouseMove = {100, 200};
    ImGui_ImplSFML_ProcessEvent(moved);
    EXPECT_FLOAT_EQ(io().MousePos.x, 100.0f);

    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonPressed, sf::Mouse::Left, 100, 200));
    ImGui_ImplSFML_ProcessEvent(simple(sf::Event::MouseLeft));
    EXPECT_FLOAT_EQ(io().MousePos.x, 100.0f);  // dragging a window out: keep following

    ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonReleased, sf::Mouse::Left, 100, 200));
    ImGui_ImplSFML_ProcessEvent(simple(sf::Event::MouseLeft));
    EXPECT_EQ(io().MousePos.x, -FLT_MAX);
}

TEST_F(ImGuiSfmlBinding, ResizeSetsTheDisplaySize) {
    sf::Event resized{};
    resized.type = sf::Event::Resized;
    resized.size = {800, 600};
    ImGui_ImplSFML_ProcessEvent(resized);
    EXPECT_FLOAT_EQ(io().DisplaySize.x, 800.0f);
    EXPECT_FLOAT_EQ(io().DisplaySize.y, 600.0f);
}

TEST_F(ImGuiSfmlBinding, ReturnsWhetherImGuiWantsTheEvent) {
    io().WantCaptureMouse = true;
    io().WantCaptureKeyboard = false;
    EXPECT_TRUE(ImGui_ImplSFML_ProcessEvent(button(sf::Event::MouseButtonPressed, sf::Mouse::Left)));
    EXPECT_FALSE(ImGui_ImplSFML_ProcessEvent(press(sf::Keyboard::A)));
    io().WantCaptureKeyboard = true;
    EXPECT_TRUE(ImGui_ImplSFML_ProcessEvent(text('a')));
    EXPECT_FALSE(ImGui_ImplSFML_ProcessEvent(simple(sf::Event::GainedFocus)));
}

TEST_F(ImGuiSfmlBinding, DeltaTimeIsAlwaysPositive) {
    ImGui_ImplSFML_NewFrame();
    ImGui_ImplSFML_NewFrame();
    EXPECT_GT(io().DeltaTime, 0.0f);
    EXPECT_LT(io().DeltaTime, 1.0f);
}

}  // namespace
