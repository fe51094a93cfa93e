// The world map's land outlines (assets/map/land-110m.txt, see assets/map/README.md)
// and the projection the view draws them with. No SFML here, so this is tested
// without a display.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chokepoint::view {

// (longitude, latitude) in degrees.
using LonLat = std::pair<float, float>;

// Every ring of the land polygons, outer rings and holes alike, as in the file.
struct LandMap {
    std::vector<std::vector<LonLat>> rings;
};

// Reads the text format: '#' comment lines and blank lines anywhere, then for each
// ring a line "ring N" followed by N lines "lon lat". Throws std::runtime_error
// "path:line: what" on any malformed line, and "path: ..." when the file cannot be read.
LandMap load_land_map(const std::string& path);

// Equirectangular (plate carrée): longitude -180..180 maps to x 0..width, latitude
// 90..-90 maps to y 0..height (y grows downward, as on screen).
struct MapPoint {
    float x = 0.0f;
    float y = 0.0f;
};
MapPoint project_equirect(float lon, float lat, float width, float height);

// Natural Earth cuts land at the antimeridian, so some rings step from -180 to +180
// (or back). Drawn as one line strip that step would cross the whole map; this
// splits a ring into the polylines between such steps (any step wider than 180°),
// leaving out pieces of a single point.
std::vector<std::vector<LonLat>> split_at_antimeridian(const std::vector<LonLat>& ring);

}  // namespace chokepoint::view
