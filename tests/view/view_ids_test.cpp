// Typed ids in the window (issue 16): its country picks are std::optional<CountryId> (none: no
// country) and its per-country tables are PerCountry / CountryMatrix, so a plain int (the old
// "-1: none" convention) or another table's id does not compile where a country is meant. The
// static_asserts are the test; the runtime tests check the helpers at the int boundary.
#include <gtest/gtest.h>

#include <optional>

#include "view/map/world_view.hpp"
#include "view/model/diplomacy_model.hpp"
#include "view/model/event_model.hpp"
#include "view/model/leverage_model.hpp"
#include "view/model/licensing_model.hpp"
#include "view/model/map_model.hpp"
#include "view/model/market_model.hpp"
#include "view/ui/palette.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/ui_state.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {
namespace {

template <class Container, class Index>
concept indexable_by = requires(Container c, Index i) { c[i]; };

template <class G, class Index>
concept grid_indexable_by = requires(G g, Index i) { g(i, i); };

// The window's selection, team view and filters take a country id, not an int.
template <class Pick>
concept selectable_as = requires(UiState u, Pick p) {
    u.selected = p;
    u.team_view = p;
    u.events.country = p;
    u.console.country = p;
    u.licensing.exporter = p;
    u.markets.exporter = p;
    u.draft.partner = p;
};
static_assert(selectable_as<CountryId>);
static_assert(selectable_as<std::optional<CountryId>>);
static_assert(!selectable_as<int>);
static_assert(!selectable_as<GoodId>);

// Goods too: the inject form's picks are per good, and a good's colour takes a good id.
static_assert(indexable_by<decltype(InjectForm::goods), GoodId>);
static_assert(!indexable_by<decltype(InjectForm::goods), int>);
static_assert(!indexable_by<decltype(InjectForm::goods), CountryId>);
template <class Good>
concept good_colour_argument = requires(Good g) { good_colour(g); };
static_assert(good_colour_argument<GoodId>);
static_assert(!good_colour_argument<int>);
static_assert(!good_colour_argument<CountryId>);

// The models' team view and country arguments.
template <class Team>
concept team_view_argument = requires(const Snapshot& s, const EventFilter& f, const ConsoleFilter& cf, Team t) {
    filter_events(s, f, t);
    console_entries(s, cf, t);
    diplomacy_view(s, t);
    licensing_view(s, t);
};
static_assert(team_view_argument<std::optional<CountryId>>);
static_assert(team_view_argument<CountryId>);
static_assert(!team_view_argument<int>);

template <class Country>
concept map_country_argument = requires(const MapModel& m, Country c, const UiState& ui) {
    tooltip(m, c, c);
    m.net(c, c);
    may_see_private(ui, c);
};
static_assert(map_country_argument<CountryId>);
static_assert(!map_country_argument<int>);

template <class Country>
concept pair_argument = requires(const Snapshot& s, Country c) { pair_breakdown(s, c, c); };
static_assert(pair_argument<CountryId>);
static_assert(!pair_argument<int>);

// Per-country tables in the view take a CountryId only.
static_assert(indexable_by<decltype(MapModel::countries), CountryId>);
static_assert(!indexable_by<decltype(MapModel::countries), int>);
static_assert(indexable_by<decltype(LeverageSeries::combined), CountryId>);
static_assert(!indexable_by<decltype(LeverageSeries::combined), int>);
static_assert(!indexable_by<decltype(LeverageSeries::combined), GoodId>);
static_assert(indexable_by<decltype(PriceSeries::by_country), CountryId>);
static_assert(!indexable_by<decltype(PriceSeries::by_country), std::size_t>);
static_assert(indexable_by<decltype(Snapshot::human), CountryId>);
static_assert(!indexable_by<decltype(Snapshot::human), int>);
static_assert(grid_indexable_by<decltype(DiplomacyView::trust), CountryId>);
static_assert(!grid_indexable_by<decltype(DiplomacyView::trust), int>);

TEST(ViewIds, ARecordsMissingCountryIsNoPick) {
    EXPECT_FALSE(pick_of(kNoCountry));
    EXPECT_EQ(pick_of(CountryId{2}), CountryId{2});
}

TEST(ViewIds, ClampCountryKeepsAPickInTheScenario) {
    Definitions d;
    d.countries.resize(3);
    EXPECT_EQ(clamp_country(d, std::nullopt), CountryId{0});
    EXPECT_EQ(clamp_country(d, CountryId{1}), CountryId{1});
    EXPECT_EQ(clamp_country(d, CountryId{7}), CountryId{2});
    EXPECT_EQ(clamp_country(d, kNoCountry), CountryId{0});
}

}  // namespace
}  // namespace chokepoint::view
