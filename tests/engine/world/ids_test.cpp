// Typed ids (engine/world/ids.hpp): data kept per country, good or sector is indexed by its own
// id type only. The static_asserts are the test: indexing with another table's id or a plain int
// must not compile.
#include <gtest/gtest.h>

#include <cstddef>
#include <type_traits>
#include <vector>

#include "engine/world/state.hpp"

namespace chokepoint {
namespace {

template <class Container, class Index>
concept indexable_by = requires(Container c, Index i) { c[i]; };

template <class G, class Row, class Col>
concept grid_indexable_by = requires(G g, Row r, Col c) { g(r, c); };

static_assert(indexable_by<PerCountry<double>, CountryId>);
static_assert(!indexable_by<PerCountry<double>, GoodId>);
static_assert(!indexable_by<PerCountry<double>, SectorId>);
static_assert(!indexable_by<PerCountry<double>, int>);
static_assert(!indexable_by<PerCountry<double>, std::size_t>);

static_assert(indexable_by<PerGood<double>, GoodId>);
static_assert(!indexable_by<PerGood<double>, CountryId>);
static_assert(!indexable_by<PerGood<double>, int>);

static_assert(indexable_by<PerSector<double>, SectorId>);
static_assert(!indexable_by<PerSector<double>, GoodId>);
static_assert(!indexable_by<PerSector<double>, int>);

// A [country][good] grid takes (country, good) and nothing else; a [from][to] matrix two countries.
static_assert(grid_indexable_by<Grid<double, CountryId, GoodId>, CountryId, GoodId>);
static_assert(!grid_indexable_by<Grid<double, CountryId, GoodId>, GoodId, CountryId>);
static_assert(!grid_indexable_by<Grid<double, CountryId, GoodId>, int, GoodId>);
static_assert(grid_indexable_by<CountryMatrix<>, CountryId, CountryId>);
static_assert(!grid_indexable_by<CountryMatrix<>, CountryId, int>);
static_assert(!grid_indexable_by<CountryMatrix<>, GoodId, GoodId>);

// Export rules and tariffs: (country, good, other country), no good count to pass, no flat row.
template <class T, class A, class B, class C>
concept route_indexable_by = requires(T t, A a, B b, C c) { t(a, b, c); };
static_assert(route_indexable_by<RouteTable<double>, CountryId, GoodId, CountryId>);
static_assert(!route_indexable_by<RouteTable<double>, GoodId, CountryId, CountryId>);
static_assert(!route_indexable_by<RouteTable<double>, int, GoodId, CountryId>);
static_assert(!grid_indexable_by<RouteTable<double>, int, CountryId>);

// A country's cash flows are indexed by the flow, not by a number.
static_assert(grid_indexable_by<decltype(MarketOutcome::cash), CountryId, CashFlow>);
static_assert(!grid_indexable_by<decltype(MarketOutcome::cash), CountryId, int>);

TEST(Ids, ARouteTableKeepsTheSavedLayout) {
    // 2 countries, 3 goods: the cell of (country 1, good 2, other 0) is row 1 * 3 + 2, column 0.
    RouteTable<double> t(2, 3, 0.0);
    t(CountryId{1}, GoodId{2}, CountryId{0}) = 7.0;
    EXPECT_EQ(t.grid.rows, 6);
    EXPECT_EQ(t.grid.cols, 2);
    EXPECT_EQ(t.grid(5, CountryId{0}), 7.0);
    EXPECT_TRUE(t.covers(2, 3));
    EXPECT_FALSE(t.covers(3, 2));
}

// Ids do not convert from or to int implicitly.
static_assert(!std::is_convertible_v<int, CountryId>);
static_assert(!std::is_convertible_v<CountryId, int>);
static_assert(!std::is_convertible_v<GoodId, CountryId>);

TEST(Ids, CountryIdsRangeOverTheCountriesInOrder) {
    Definitions d;
    d.countries.resize(3);
    std::vector<int> seen;
    for (CountryId c : d.country_ids()) seen.push_back(c.value());
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
    EXPECT_TRUE(d.has_country(CountryId{2}));
    EXPECT_FALSE(d.has_country(CountryId{3}));
    EXPECT_FALSE(d.has_country(kNoCountry));
}

}  // namespace
}  // namespace chokepoint
