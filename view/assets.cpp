#include "view/assets.hpp"

namespace chokepoint::view {

std::string assets_dir() {
    return CHOKEPOINT_ASSETS_DIR;
}

}  // namespace chokepoint::view
