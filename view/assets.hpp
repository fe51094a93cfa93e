// Where the view finds its data files (fonts, map data): the assets/ folder of the game's data
// folders (engine/world/files.hpp data_dirs(): beside the executable in a build tree, under
// share/chokepoint in an installed copy).
#pragma once

#include <string>

namespace chokepoint::view {

std::string assets_dir();

}  // namespace chokepoint::view
