// The land map as filled triangles for the world view (view/map/world_view.cpp draws them once).
#pragma once

#include <vector>

#include "view/map_data.hpp"

namespace chokepoint::view {

// The land rings as triangles (every three points one triangle), in degrees within -180..180.
// A ring cut at the antimeridian is made continuous, triangulated, and cut back to the map on
// both sides; a ring around a pole is closed along it. `holes` (lakes such as the Caspian) are
// to be painted over in the ocean's colour. The triangulation is constrained Delaunay, which
// keeps triangles compact: cheaper for a software rasteriser than ear clipping's slivers.
struct LandFill {
    std::vector<LonLat> land;
    std::vector<LonLat> holes;
};
LandFill triangulate_land(const LandMap& land);
// A simple polygon (either orientation, closed or not) as triangles by ear clipping.
std::vector<LonLat> triangulate_ring(const std::vector<LonLat>& ring);
// Signed area in square degrees (> 0 counter-clockwise with latitude up).
double signed_area(const std::vector<LonLat>& ring);

}  // namespace chokepoint::view
