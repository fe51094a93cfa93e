// Typed indices into Definitions: a sector id is not a good id nor a country id, and data kept
// per sector (per good, per country) can only be indexed by a sector (good, country) id. Raw ints
// become ids only at the edges (scenario loading, the Lua boundary, output writers, saved-game
// JSON, view indices), each with an explicit `CountryId{k}` / `.value()`.
#pragma once

#include <compare>
#include <cstddef>
#include <vector>

namespace chokepoint {

// An index into one of Definitions' tables, tagged with the table it indexes.
template <class Tag>
class Id {
public:
    using tag = Tag;
    constexpr Id() = default;
    explicit constexpr Id(int v) : v_(v) {}
    constexpr int value() const { return v_; }
    constexpr std::size_t index() const { return static_cast<std::size_t>(v_); }
    constexpr Id& operator++() {
        ++v_;
        return *this;
    }
    friend constexpr auto operator<=>(Id, Id) = default;

private:
    int v_ = 0;
};

template <class T>
inline constexpr bool is_id = false;
template <class Tag>
inline constexpr bool is_id<Id<Tag>> = true;

// The raw value of an id, or an int as it is (for containers indexed by plain ints).
constexpr int raw_index(int v) { return v; }
template <class Tag>
constexpr int raw_index(Id<Tag> id) { return id.value(); }

// The ids 0 .. n-1 of one table, for `for (SectorId k : defs.sector_ids())`.
template <class Tag>
class IdRange {
public:
    class iterator {
    public:
        explicit constexpr iterator(int v) : id_(v) {}
        constexpr Id<Tag> operator*() const { return id_; }
        constexpr iterator& operator++() {
            ++id_;
            return *this;
        }
        friend constexpr bool operator==(iterator, iterator) = default;

    private:
        Id<Tag> id_;
    };
    explicit constexpr IdRange(int n) : n_(n) {}
    constexpr iterator begin() const { return iterator(0); }
    constexpr iterator end() const { return iterator(n_); }

private:
    int n_ = 0;
};

// A std::vector indexed by one id type only: PerSector<double> takes a SectorId, never an int
// or a good id. Plain data (copied with State, compared by the defaulted operator==).
template <class Tag, class T>
class PerId {
public:
    using value_type = T;
    PerId() = default;
    explicit PerId(std::size_t n, const T& init = T{}) : v_(n, init) {}

    T& operator[](Id<Tag> i) { return v_[i.index()]; }
    const T& operator[](Id<Tag> i) const { return v_[i.index()]; }
    std::size_t size() const { return v_.size(); }
    bool empty() const { return v_.empty(); }
    int count() const { return static_cast<int>(v_.size()); }
    IdRange<Tag> ids() const { return IdRange<Tag>(count()); }

    auto begin() { return v_.begin(); }
    auto end() { return v_.end(); }
    auto begin() const { return v_.begin(); }
    auto end() const { return v_.end(); }
    void assign(std::size_t n, const T& x) { v_.assign(n, x); }
    void resize(std::size_t n) { v_.resize(n); }
    void push_back(const T& x) { v_.push_back(x); }
    const std::vector<T>& values() const { return v_; }  // for positional edges (writers, tests)

    bool operator==(const PerId&) const = default;

private:
    std::vector<T> v_;
};

struct SectorTag;
using SectorId = Id<SectorTag>;  // index into Definitions::sectors
template <class T>
using PerSector = PerId<SectorTag, T>;

struct GoodTag;
using GoodId = Id<GoodTag>;  // index into Definitions::goods
template <class T>
using PerGood = PerId<GoodTag, T>;

struct CountryTag;
using CountryId = Id<CountryTag>;  // index into Definitions::countries
template <class T>
using PerCountry = PerId<CountryTag, T>;
// "No country" where a record may have none (an event without an actor, a clause not yet
// addressed); never used as an index.
inline constexpr CountryId kNoCountry{-1};

}  // namespace chokepoint
