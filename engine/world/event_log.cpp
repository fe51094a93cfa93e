#include "engine/world/event_log.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace chokepoint {

std::string tonnes_text(double t) {
    if (!std::isfinite(t)) return t > 0 ? "unlimited" : "?";
    if (std::fabs(t) >= 100 || t == 0) return fmt::format("{:.0f}", t);
    return fmt::format("{:.3g}", t);
}

nlohmann::json rounded_details(const nlohmann::json& data) {
    if (data.is_number_float()) {
        const double v = data.get<double>();
        if (!std::isfinite(v) || v == 0) return data;
        return std::stod(fmt::format("{:.6g}", v));
    }
    if (data.is_array() || data.is_object()) {
        nlohmann::json out = data;
        for (auto it = out.begin(); it != out.end(); ++it) *it = rounded_details(*it);
        return out;
    }
    return data;
}

}  // namespace chokepoint
