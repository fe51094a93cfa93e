// A matrix stored flat, indexed by the id types of its rows and columns.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/world/ids.hpp"

namespace chokepoint {

// Matrix indexed [row][col] stored flat. Row and Col are the index types it takes: a
// Grid<double, CountryId, GoodId> is indexed (country, good) and nothing else compiles.
template <typename T, class Row = int, class Col = int>
struct Grid {
    int rows = 0, cols = 0;
    std::vector<T> cells;
    Grid() = default;
    Grid(int r, int c, T init) : rows(r), cols(c), cells(static_cast<std::size_t>(r) * c, init) {}
    T& operator()(Row r, Col c) { return cells[flat(r, c)]; }
    const T& operator()(Row r, Col c) const { return cells[flat(r, c)]; }
    // The cell, or `outside` beyond the grid (the outcome of a turn not yet played is empty).
    T value_or(Row r, Col c, T outside = T{}) const {
        return raw_index(r) < rows && raw_index(c) < cols ? cells[flat(r, c)] : outside;
    }
    bool empty() const { return cells.empty(); }
    // r × c cells of `init`, reusing the storage (hot loops refill one grid many times).
    void assign(int r, int c, T init) {
        rows = r;
        cols = c;
        cells.assign(static_cast<std::size_t>(r) * static_cast<std::size_t>(c), init);
    }
    void clear() { assign(0, 0, T{}); }
    // The row (column) ids, for a grid indexed by an id type.
    auto row_ids() const requires is_id<Row> { return IdRange<typename Row::tag>(rows); }
    auto col_ids() const requires is_id<Col> { return IdRange<typename Col::tag>(cols); }
    bool operator==(const Grid&) const = default;

private:
    std::size_t flat(Row r, Col c) const {
        return static_cast<std::size_t>(raw_index(r)) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(raw_index(c));
    }
};

// A [from][to] matrix between countries (trade flows, relationships, leverage).
template <typename T = double>
using CountryMatrix = Grid<T, CountryId, CountryId>;

// A value per country, good and other country: export rules [exporter][good][destination],
// tariffs [importer][good][origin]. Indexed by typed ids only (no good count to pass); stored as a
// Grid with a row per country and good (country × goods + good) and a column per other country,
// the layout the game file saves.
template <typename T>
struct RouteTable {
    Grid<T, int, CountryId> grid;
    int goods = 0;
    RouteTable() = default;
    RouteTable(int countries, int goods_per_country, T init)
        : grid(countries * goods_per_country, countries, init), goods(goods_per_country) {}
    T& operator()(CountryId c, GoodId g, CountryId other) { return grid(row(c, g), other); }
    const T& operator()(CountryId c, GoodId g, CountryId other) const { return grid(row(c, g), other); }
    // Whether it has a cell for every route of `countries` countries and `goods_per_country` goods.
    bool covers(int countries, int goods_per_country) const {
        return goods == goods_per_country && grid.rows == countries * goods_per_country && grid.cols == countries;
    }
    bool operator==(const RouteTable&) const = default;

private:
    int row(CountryId c, GoodId g) const { return c.value() * goods + g.value(); }
};

}  // namespace chokepoint
