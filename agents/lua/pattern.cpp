// Lua 5.4 patterns, written from the reference manual (§6.4.1) so that matching can be
// interrupted: every few thousand steps the matcher asks the PatternGuard whether the call is
// past its deadline. Semantics follow the real library (tests/agents/lua/pattern_test.cpp
// compares the two on a table of cases), including its error messages.
#include "agents/lua/pattern.hpp"

#include <string.h>  // memmem (GNU): linear time, so plain find needs no guard

#include <array>
#include <cctype>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace chokepoint::lua {
namespace {

using Pos = std::ptrdiff_t;  // index into the subject

constexpr int kMaxCaptures = 32;  // LUA_MAXCAPTURES
constexpr int kMaxDepth = 200;    // recursion of the matcher, as the real library allows
constexpr Pos kNoMatch = -1;
constexpr Pos kOpen = -1;      // capture length while the capture is still open
constexpr Pos kPosition = -2;  // a () position capture
constexpr unsigned long kStepsPerCheck = 4096;
constexpr char kEscape = '%';

bool is_class(unsigned char c, unsigned char cls) {
    bool in = false;
    // clang-format off
    switch (std::tolower(cls)) {
        case 'a': in = std::isalpha(c); break;
        case 'c': in = std::iscntrl(c); break;
        case 'd': in = std::isdigit(c); break;
        case 'g': in = std::isgraph(c); break;
        case 'l': in = std::islower(c); break;
        case 'p': in = std::ispunct(c); break;
        case 's': in = std::isspace(c); break;
        case 'u': in = std::isupper(c); break;
        case 'w': in = std::isalnum(c); break;
        case 'x': in = std::isxdigit(c); break;
        default: return cls == c;  // %. %% %( …: the character itself
    }
    // clang-format on
    return std::isupper(cls) ? !in : in;  // %A is the complement of %a
}

class Matcher {
public:
    Matcher(lua_State* L, const PatternGuard* guard, const char* s, std::size_t sn, const char* p, std::size_t pn)
        : L_(L), guard_(guard), s_(s), sn_(static_cast<Pos>(sn)), p_(p), pn_(pn) {}

    // Before each attempt at a new subject position.
    void reset() {
        level_ = 0;
        depth_ = 0;
    }

    // Matches the pattern from `pi` at subject position `si`: the end of the match or kNoMatch.
    Pos match(Pos si, std::size_t pi) {
        if (++depth_ > kMaxDepth) luaL_error(L_, "pattern too complex");
        charge(1);
        const Pos result = match_items(si, pi);
        --depth_;
        return result;
    }

    // Pushes capture `i` (the whole match [si, ei) when there are no captures and i == 0).
    void push_capture(int i, Pos si, Pos ei) {
        if (i >= level_) {
            if (i != 0) luaL_error(L_, "invalid capture index %%%d", i + 1);
            lua_pushlstring(L_, s_ + si, static_cast<std::size_t>(ei - si));
            return;
        }
        const Capture& c = captures_[static_cast<std::size_t>(i)];
        if (c.len == kOpen) luaL_error(L_, "unfinished capture");
        if (c.len == kPosition)
            lua_pushinteger(L_, c.init + 1);
        else
            lua_pushlstring(L_, s_ + c.init, static_cast<std::size_t>(c.len));
    }

    // Pushes all captures, or the whole match if there are none and `whole` is set.
    int push_captures(Pos si, Pos ei, bool whole) {
        const int n = (level_ == 0 && whole) ? 1 : level_;
        luaL_checkstack(L_, n, "too many captures");
        for (int i = 0; i < n; ++i) push_capture(i, si, ei);
        return n;
    }

    lua_State* state() const { return L_; }
    const char* subject() const { return s_; }

private:
    struct Capture {
        Pos init = 0;
        Pos len = kOpen;
    };

    void charge(unsigned long steps) {
        steps_ += steps;
        if (steps_ >= next_check_) {
            next_check_ = steps_ + kStepsPerCheck;
            if (guard_ != nullptr) guard_->check(L_, "in a string pattern");
        }
    }

    char pc(std::size_t pi) const { return pi < pn_ ? p_[pi] : '\0'; }

    // The single-character class starting at `pi` ends just before the returned index.
    std::size_t class_end(std::size_t pi) const {
        const char c = p_[pi++];
        if (c == kEscape) {
            if (pi >= pn_) luaL_error(L_, "malformed pattern (ends with '%%')");
            return pi + 1;
        }
        if (c == '[') {
            if (pc(pi) == '^') ++pi;
            // The first character of a set is never its end, so "[]]" is a set of ']'.
            do {
                if (pi >= pn_) luaL_error(L_, "malformed pattern (missing ']')");
                const char member = p_[pi++];
                if (member == kEscape && pi < pn_) ++pi;
            } while (pi >= pn_ || p_[pi] != ']');
            return pi + 1;
        }
        return pi;
    }

    // Is `c` in the set whose '[' is at `pi` and whose ']' is at `close`?
    bool in_set(unsigned char c, std::size_t pi, std::size_t close) const {
        bool wanted = true;
        ++pi;
        if (p_[pi] == '^') {
            wanted = false;
            ++pi;
        }
        while (pi < close) {
            const auto m = static_cast<unsigned char>(p_[pi]);
            if (m == kEscape) {
                if (is_class(c, static_cast<unsigned char>(p_[pi + 1]))) return wanted;
                pi += 2;
            } else if (p_[pi + 1] == '-' && pi + 2 < close) {
                if (m <= c && c <= static_cast<unsigned char>(p_[pi + 2])) return wanted;
                pi += 3;
            } else {
                if (m == c) return wanted;
                ++pi;
            }
        }
        return !wanted;
    }

    bool single(Pos si, std::size_t pi, std::size_t ep) const {
        if (si >= sn_) return false;
        const auto c = static_cast<unsigned char>(s_[si]);
        switch (p_[pi]) {
            case '.':
                return true;
            case kEscape:
                return is_class(c, static_cast<unsigned char>(p_[pi + 1]));
            case '[':
                return in_set(c, pi, ep - 1);
            default:
                return static_cast<unsigned char>(p_[pi]) == c;
        }
    }

    Pos match_items(Pos si, std::size_t pi) {
        while (pi < pn_) {
            const char c = p_[pi];
            if (c == '(') {
                if (pc(pi + 1) == ')') return open_capture(si, pi + 2, kPosition);
                return open_capture(si, pi + 1, kOpen);
            }
            if (c == ')') return close_capture(si, pi + 1);
            if (c == '$' && pi + 1 == pn_) return si == sn_ ? si : kNoMatch;
            if (c == kEscape && pi + 1 < pn_) {
                const char next = p_[pi + 1];
                if (next == 'b') {
                    si = balanced(si, pi + 2);
                    if (si == kNoMatch) return kNoMatch;
                    pi += 4;
                    continue;
                }
                if (next == 'f') {
                    pi += 2;
                    if (pc(pi) != '[' || pi >= pn_) luaL_error(L_, "missing '[' after '%%f' in pattern");
                    const std::size_t ep = class_end(pi);
                    const auto before = static_cast<unsigned char>(si == 0 ? '\0' : s_[si - 1]);
                    const auto here = static_cast<unsigned char>(si < sn_ ? s_[si] : '\0');
                    if (in_set(before, pi, ep - 1) || !in_set(here, pi, ep - 1)) return kNoMatch;
                    pi = ep;
                    continue;
                }
                if (std::isdigit(static_cast<unsigned char>(next))) {
                    si = back_reference(si, next);
                    if (si == kNoMatch) return kNoMatch;
                    pi += 2;
                    continue;
                }
            }
            const std::size_t ep = class_end(pi);
            const bool here = single(si, pi, ep);
            switch (pc(ep)) {
                case '?':
                    if (here) {
                        const Pos r = match(si + 1, ep + 1);
                        if (r != kNoMatch) return r;
                    }
                    pi = ep + 1;
                    continue;
                case '+':
                    return here ? longest(si + 1, pi, ep) : kNoMatch;
                case '*':
                    return longest(si, pi, ep);
                case '-':
                    return shortest(si, pi, ep);
                default:
                    if (!here) return kNoMatch;
                    ++si;
                    pi = ep;
            }
        }
        return si;
    }

    // Greedy repetition: take as many as possible, then give back one at a time.
    Pos longest(Pos si, std::size_t pi, std::size_t ep) {
        Pos n = 0;
        while (single(si + n, pi, ep)) {
            ++n;
            charge(1);
        }
        for (; n >= 0; --n) {
            const Pos r = match(si + n, ep + 1);
            if (r != kNoMatch) return r;
        }
        return kNoMatch;
    }

    // Lazy repetition: try the rest first, then take one more.
    Pos shortest(Pos si, std::size_t pi, std::size_t ep) {
        for (;;) {
            const Pos r = match(si, ep + 1);
            if (r != kNoMatch) return r;
            if (!single(si, pi, ep)) return kNoMatch;
            ++si;
        }
    }

    Pos open_capture(Pos si, std::size_t pi, Pos what) {
        if (level_ >= kMaxCaptures) luaL_error(L_, "too many captures");
        captures_[static_cast<std::size_t>(level_)] = {si, what};
        ++level_;
        const Pos r = match(si, pi);
        if (r == kNoMatch) --level_;
        return r;
    }

    Pos close_capture(Pos si, std::size_t pi) {
        int open = level_ - 1;
        while (open >= 0 && captures_[static_cast<std::size_t>(open)].len != kOpen) --open;
        if (open < 0) luaL_error(L_, "invalid pattern capture");
        Capture& c = captures_[static_cast<std::size_t>(open)];
        c.len = si - c.init;
        const Pos r = match(si, pi);
        if (r == kNoMatch) c.len = kOpen;
        return r;
    }

    // %bxy: an x, then text balanced in x and y, up to the matching y.
    Pos balanced(Pos si, std::size_t pi) {
        if (pi + 1 >= pn_) luaL_error(L_, "malformed pattern (missing arguments to '%%b')");
        const char open = p_[pi], close = p_[pi + 1];
        if (si >= sn_ || s_[si] != open) return kNoMatch;
        int depth = 1;
        for (Pos i = si + 1; i < sn_; ++i) {
            charge(1);
            if (s_[i] == close) {
                if (--depth == 0) return i + 1;
            } else if (s_[i] == open) {
                ++depth;
            }
        }
        return kNoMatch;
    }

    // %1-%9: the text of an earlier, closed capture again.
    Pos back_reference(Pos si, char digit) {
        const int i = digit - '1';
        if (i < 0 || i >= level_ || captures_[static_cast<std::size_t>(i)].len == kOpen)
            luaL_error(L_, "invalid capture index %%%d", i + 1);
        const Capture& c = captures_[static_cast<std::size_t>(i)];
        if (c.len < 0) return kNoMatch;  // a position capture has no text to repeat
        charge(static_cast<unsigned long>(c.len / 64));
        if (sn_ - si >= c.len && std::memcmp(s_ + c.init, s_ + si, static_cast<std::size_t>(c.len)) == 0)
            return si + c.len;
        return kNoMatch;
    }

    lua_State* L_;
    const PatternGuard* guard_;
    const char* s_;
    Pos sn_;
    const char* p_;
    std::size_t pn_;
    int level_ = 0;
    int depth_ = 0;
    unsigned long steps_ = 0, next_check_ = kStepsPerCheck;
    std::array<Capture, kMaxCaptures> captures_{};
};

const PatternGuard* guard_of(lua_State* L, int upvalue) {
    return static_cast<const PatternGuard*>(lua_touserdata(L, lua_upvalueindex(upvalue)));
}

// A 1-based, possibly negative start argument as a 0-based index (> len means "past the end").
std::size_t start_index(lua_Integer pos, std::size_t len) {
    if (pos > 0) return static_cast<std::size_t>(pos) - 1;
    if (pos == 0 || pos < -static_cast<lua_Integer>(len)) return 0;
    return len - static_cast<std::size_t>(-pos);
}

bool has_specials(const char* p, std::size_t n) {
    return std::string_view(p, n).find_first_of("^$*+?.([%-") != std::string_view::npos;
}

int find_or_match(lua_State* L, bool find) {
    std::size_t sn = 0, pn = 0;
    const char* s = luaL_checklstring(L, 1, &sn);
    const char* p = luaL_checklstring(L, 2, &pn);
    const std::size_t init = start_index(luaL_optinteger(L, 3, 1), sn);
    if (init > sn) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, pn))) {
        const void* hit = memmem(s + init, sn - init, p, pn);
        if (hit != nullptr) {
            const auto at = static_cast<const char*>(hit) - s;
            lua_pushinteger(L, at + 1);
            lua_pushinteger(L, at + static_cast<lua_Integer>(pn));
            return 2;
        }
    } else {
        const bool anchor = pn > 0 && p[0] == '^';
        Matcher m(L, guard_of(L, 1), s, sn, anchor ? p + 1 : p, anchor ? pn - 1 : pn);
        Pos si = static_cast<Pos>(init);
        do {
            m.reset();
            const Pos e = m.match(si, 0);
            if (e != kNoMatch) {
                if (!find) return m.push_captures(si, e, true);
                lua_pushinteger(L, si + 1);
                lua_pushinteger(L, e);
                return m.push_captures(0, 0, false) + 2;
            }
        } while (si++ < static_cast<Pos>(sn) && !anchor);
    }
    luaL_pushfail(L);
    return 1;
}

int str_find(lua_State* L) {
    return find_or_match(L, true);
}
int str_match(lua_State* L) {
    return find_or_match(L, false);
}

// Upvalues: subject, pattern, next start, end of the last match (-1: none), guard.
int gmatch_step(lua_State* L) {
    std::size_t sn = 0, pn = 0;
    const char* s = lua_tolstring(L, lua_upvalueindex(1), &sn);
    const char* p = lua_tolstring(L, lua_upvalueindex(2), &pn);
    Pos si = static_cast<Pos>(lua_tointeger(L, lua_upvalueindex(3)));
    const Pos last = static_cast<Pos>(lua_tointeger(L, lua_upvalueindex(4)));
    // No anchor here: in gmatch a leading '^' is an ordinary character, as in the real library.
    Matcher m(L, guard_of(L, 5), s, sn, p, pn);
    for (; si <= static_cast<Pos>(sn); ++si) {
        m.reset();
        const Pos e = m.match(si, 0);
        if (e != kNoMatch && e != last) {  // an empty match right after the last one does not count
            lua_pushinteger(L, e);
            lua_replace(L, lua_upvalueindex(3));
            lua_pushinteger(L, e);
            lua_replace(L, lua_upvalueindex(4));
            return m.push_captures(si, e, true);
        }
    }
    lua_pushinteger(L, si);
    lua_replace(L, lua_upvalueindex(3));
    return 0;
}

int str_gmatch(lua_State* L) {
    std::size_t sn = 0;
    luaL_checklstring(L, 1, &sn);
    luaL_checkstring(L, 2);
    std::size_t init = start_index(luaL_optinteger(L, 3, 1), sn);
    if (init > sn) init = sn + 1;
    lua_settop(L, 2);
    lua_pushinteger(L, static_cast<lua_Integer>(init));
    lua_pushinteger(L, -1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, gmatch_step, 5);
    return 1;
}

// A string replacement: %0 the match, %1-%9 captures, %% a percent sign.
void add_replacement_text(Matcher& m, luaL_Buffer& b, Pos si, Pos ei) {
    lua_State* L = m.state();
    std::size_t n = 0;
    const char* r = lua_tolstring(L, 3, &n);
    const char* end = r + n;
    while (r < end) {
        const char* esc = static_cast<const char*>(std::memchr(r, kEscape, static_cast<std::size_t>(end - r)));
        if (esc == nullptr) {
            luaL_addlstring(&b, r, static_cast<std::size_t>(end - r));
            break;
        }
        luaL_addlstring(&b, r, static_cast<std::size_t>(esc - r));
        const char c = esc + 1 < end ? esc[1] : '\0';
        if (c == kEscape) {
            luaL_addchar(&b, kEscape);
        } else if (c == '0') {
            luaL_addlstring(&b, m.subject() + si, static_cast<std::size_t>(ei - si));
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            m.push_capture(c - '1', si, ei);
            luaL_tolstring(L, -1, nullptr);  // a position capture is a number
            lua_remove(L, -2);
            luaL_addvalue(&b);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", kEscape);
        }
        r = esc + 2;
    }
}

// Adds the replacement of the match [si, ei) to the buffer; false if the text stays as it was.
bool add_replacement(Matcher& m, luaL_Buffer& b, Pos si, Pos ei, int kind) {
    lua_State* L = m.state();
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        const int n = m.push_captures(si, ei, true);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        m.push_capture(0, si, ei);
        lua_gettable(L, 3);
    } else {
        add_replacement_text(m, b, si, ei);
        return true;
    }
    if (!lua_toboolean(L, -1)) {  // nil or false keeps the original text
        lua_pop(L, 1);
        luaL_addlstring(&b, m.subject() + si, static_cast<std::size_t>(ei - si));
        return false;
    }
    if (!lua_isstring(L, -1)) luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(&b);
    return true;
}

int str_gsub(lua_State* L) {
    std::size_t sn = 0, pn = 0;
    const char* s = luaL_checklstring(L, 1, &sn);
    const char* p = luaL_checklstring(L, 2, &pn);
    const int kind = lua_type(L, 3);
    const lua_Integer max_n = luaL_optinteger(L, 4, static_cast<lua_Integer>(sn) + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE, 3,
                     "string/function/table");
    const bool anchor = pn > 0 && p[0] == '^';
    Matcher m(L, guard_of(L, 1), s, sn, anchor ? p + 1 : p, anchor ? pn - 1 : pn);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    Pos si = 0, last = kNoMatch;
    lua_Integer n = 0;
    bool changed = false;
    while (n < max_n) {
        m.reset();
        const Pos e = m.match(si, 0);
        if (e != kNoMatch && e != last) {
            ++n;
            changed = add_replacement(m, b, si, e, kind) || changed;
            si = last = e;
        } else if (si < static_cast<Pos>(sn)) {
            luaL_addchar(&b, s[si++]);
        } else {
            break;
        }
        if (anchor) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);  // nothing replaced: the original string, no copy
    } else {
        luaL_addlstring(&b, s + si, sn - static_cast<std::size_t>(si));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

}  // namespace

void register_patterns(lua_State* L, int index, const PatternGuard* guard) {
    index = lua_absindex(L, index);
    const luaL_Reg functions[] = {{"find", str_find}, {"match", str_match}, {"gmatch", str_gmatch}, {"gsub", str_gsub}};
    for (const luaL_Reg& f : functions) {
        lua_pushlightuserdata(L, const_cast<PatternGuard*>(guard));
        lua_pushcclosure(L, f.func, 1);
        lua_setfield(L, index, f.name);
    }
}

}  // namespace chokepoint::lua
