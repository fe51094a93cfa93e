// Where the view finds its data files: the source tree's assets/ folder (fonts,
// map data), compiled in, because the view runs from the build tree. An install
// step would change this one place.
#pragma once

#include <string>

namespace chokepoint::view {

std::string assets_dir();

}  // namespace chokepoint::view
