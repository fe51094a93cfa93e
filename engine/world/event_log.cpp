#include "engine/world/event_log.hpp"
#include "engine/world/number_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <string>

namespace chokepoint {

namespace {

// The length of the UTF-8 sequence at s[i] (1 to 4), or 0 when it is not one: overlong forms,
// surrogates and code points above U+10FFFF are not.
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) n = 3;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return 0;
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::string utf8_text(std::string s) {
    std::size_t i = 0;
    while (i < s.size() && utf8_sequence(s, i) > 0) i += utf8_sequence(s, i);
    if (i == s.size()) return s;  // already UTF-8: the common case, no copy
    std::string out = s.substr(0, i);
    while (i < s.size()) {
        const std::size_t n = utf8_sequence(s, i);
        if (n > 0) {
            out.append(s, i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD, for one byte that starts no sequence
            ++i;
        }
    }
    return out;
}

nlohmann::json utf8_json(nlohmann::json j) {
    if (j.is_string()) return utf8_text(j.get<std::string>());
    if (j.is_array()) {
        for (auto& x : j) x = utf8_json(std::move(x));
    } else if (j.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [key, value] : j.items()) out[utf8_text(key)] = utf8_json(value);
        return out;
    }
    return j;
}

void EventList::add(GameEvent e) {
    e.text = utf8_text(std::move(e.text));
    e.type = utf8_text(std::move(e.type));
    e.data = utf8_json(std::move(e.data));
    items_.push_back(std::move(e));
}

std::string tonnes_text(double t) {
    if (!std::isfinite(t)) return t > 0 ? "unlimited" : "?";
    if (std::fabs(t) >= 100 || t == 0) return fmt::format("{:.0f}", t);
    return fmt::format("{:.3g}", t);
}

nlohmann::json rounded_details(const nlohmann::json& data) {
    if (data.is_number_float()) {
        const double v = data.get<double>();
        if (!std::isfinite(v) || v == 0) return data;
        // Not stod: a denormal (1e-320, from a policy's tariff) is out of its range and threw,
        // ending the game's output and its save (hostile-inputs review).
        return read_number_text(fmt::format("{:.6g}", v)).value_or(v);
    }
    if (data.is_array() || data.is_object()) {
        nlohmann::json out = data;
        for (auto it = out.begin(); it != out.end(); ++it) *it = rounded_details(*it);
        return out;
    }
    return data;
}

}  // namespace chokepoint
