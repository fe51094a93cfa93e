#include "view/map_data.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace chokepoint::view {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// The next whitespace-separated word of `s`, removed from it.
std::string_view next_word(std::string_view& s) {
    s = trim(s);
    const auto end = s.find_first_of(" \t");
    const std::string_view word = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
    return word;
}

template <typename T>
bool parse_number(std::string_view word, T& value) {
    if (word.empty()) return false;
    if (word.front() == '+') word.remove_prefix(1);  // from_chars refuses a leading '+'
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    return ec == std::errc{} && end == word.data() + word.size();
}

class Reader {
public:
    explicit Reader(const std::string& path) : path_(path) {}

    [[noreturn]] void fail(int line, const std::string& what) const {
        throw std::runtime_error(path_ + ":" + std::to_string(line) + ": " + what);
    }

    // "ring N" → N.
    std::size_t ring_header(std::string_view text, int line) const {
        std::string_view rest = text;
        const std::string_view keyword = next_word(rest);
        long long count = 0;
        if (keyword != "ring" || !parse_number(next_word(rest), count) || !trim(rest).empty())
            fail(line, "expected 'ring N', got '" + std::string(text) + "'");
        if (count < 1) fail(line, "a ring needs at least one point, got " + std::to_string(count));
        return static_cast<std::size_t>(count);
    }

    // "lon lat" → a point within [-180, 180] × [-90, 90].
    LonLat point(std::string_view text, int line) const {
        std::string_view rest = text;
        float lon = 0.0f;
        float lat = 0.0f;
        if (!parse_number(next_word(rest), lon) || !parse_number(next_word(rest), lat) || !trim(rest).empty())
            fail(line, "expected 'lon lat' in degrees, got '" + std::string(text) + "'");
        if (!(lon >= -180.0f && lon <= 180.0f)) fail(line, "longitude " + std::string(text) + " outside [-180, 180]");
        if (!(lat >= -90.0f && lat <= 90.0f)) fail(line, "latitude " + std::string(text) + " outside [-90, 90]");
        return {lon, lat};
    }

private:
    std::string path_;
};

}  // namespace

LandMap load_land_map(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open the land map");
    const Reader reader(path);

    LandMap map;
    std::size_t expected = 0;  // points still owed by the current ring
    int ring_line = 0;         // where the current ring was declared
    int line_no = 0;
    std::string raw;
    while (std::getline(in, raw)) {
        ++line_no;
        const std::string_view text = trim(raw);
        if (text.empty() || text.front() == '#') continue;
        if (expected == 0) {
            expected = reader.ring_header(text, line_no);
            ring_line = line_no;
            map.rings.emplace_back().reserve(expected);
            continue;
        }
        if (text.starts_with("ring"))
            reader.fail(line_no, "ring declared at line " + std::to_string(ring_line) + " has " +
                                     std::to_string(map.rings.back().size()) + " of its " +
                                     std::to_string(map.rings.back().size() + expected) + " points");
        map.rings.back().push_back(reader.point(text, line_no));
        --expected;
    }
    if (in.bad()) throw std::runtime_error(path + ": read error");
    if (expected != 0)
        reader.fail(ring_line, "ring has " + std::to_string(map.rings.back().size()) + " of its " +
                                   std::to_string(map.rings.back().size() + expected) + " points when the file ends");
    if (map.rings.empty()) throw std::runtime_error(path + ": no rings");
    return map;
}

MapPoint project_equirect(float lon, float lat, float width, float height) {
    return {(lon + 180.0f) / 360.0f * width, (90.0f - lat) / 180.0f * height};
}

std::vector<std::vector<LonLat>> split_at_antimeridian(const std::vector<LonLat>& ring) {
    std::vector<std::vector<LonLat>> pieces;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        if (i == 0 || std::abs(ring[i].first - ring[i - 1].first) > 180.0f) pieces.emplace_back();
        pieces.back().push_back(ring[i]);
    }
    std::erase_if(pieces, [](const auto& piece) { return piece.size() < 2; });  // a lone point draws nothing
    return pieces;
}

}  // namespace chokepoint::view
