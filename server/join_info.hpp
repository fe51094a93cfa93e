// What the facilitator shows the teams to join (docs/facilitation.md "A networked class"): the
// address of this machine on the classroom's network, each seat's link with its code, and the link
// as a QR code (libqrencode), for the terminal or as a matrix the window draws.
#pragma once

#include <string>
#include <vector>

namespace chokepoint::server {

// The team page's folder (assets/web among the game's data folders, engine/world/files.hpp).
std::string web_folder();
// The first IPv4 address of an interface that is up and not loopback (127.0.0.1 when none).
std::string lan_address();
// The address the teams open: the bound address, or this machine's on the network for 0.0.0.0.
std::string base_url(const std::string& bind, unsigned short port, bool tls = false);
// A seat's link: opening it joins the seat at once (the team page reads the code).
std::string join_url(const std::string& base, const std::string& code);

// The QR code of `text` (error correction level M): rows of modules, true for dark; empty if it
// cannot be encoded.
std::vector<std::vector<bool>> qr_modules(const std::string& text);
// The QR code drawn with Unicode half blocks, two rows of modules per line, with a quiet zone:
// readable by a phone's camera from a terminal with a dark-on-light or light-on-dark font.
std::string qr_text(const std::string& text);

}  // namespace chokepoint::server
