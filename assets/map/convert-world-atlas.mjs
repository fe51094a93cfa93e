// One-off converter: Natural Earth 110m land (TopoJSON from the npm package
// world-atlas) to assets/map/land-110m.txt, the plain text the view reads
// (view/map_data.cpp). Not part of the build; see assets/map/README.md.
//
// Usage, from a directory where world-atlas and topojson-client are installed
// (kept outside the repository):
//   npm install world-atlas@2.0.2 topojson-client@3.1.0
//   node <repo>/assets/map/convert-world-atlas.mjs > <repo>/assets/map/land-110m.txt
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

// Resolve the packages from the working directory, not from this file's folder,
// so that node_modules never has to live inside the repository.
const require = createRequire(path.join(process.cwd(), "package.json"));
const { feature } = require("topojson-client");
const atlasPackage = require("world-atlas/package.json");
const input = process.argv[2] ?? require.resolve("world-atlas/land-110m.json");
const topology = JSON.parse(readFileSync(input, "utf8"));

const land = feature(topology, topology.objects.land);
const polygons = [];
for (const f of land.features ?? [land]) {
  const g = f.geometry;
  if (g.type === "Polygon") polygons.push(g.coordinates);
  else if (g.type === "MultiPolygon") polygons.push(...g.coordinates);
  else throw new Error(`unexpected geometry type ${g.type}`);
}

// Two decimals (about 1 km) is far below the 110m data's own precision. Points
// that become equal after rounding are dropped; rings keep their closing point.
const fmt = (v) => {
  const s = v.toFixed(2);
  return s === "-0.00" ? "0.00" : s;
};
const rings = [];
for (const polygon of polygons) {
  for (const ring of polygon) {
    const points = [];
    for (const [lon, lat] of ring) {
      const p = `${fmt(lon)} ${fmt(lat)}`;
      if (points[points.length - 1] !== p) points.push(p);
    }
    if (points.length >= 2) rings.push(points);
  }
}

const pointCount = rings.reduce((n, r) => n + r.length, 0);
const out = [
  "# Natural Earth 1:110m land outlines (public domain), via the npm package",
  `# world-atlas ${atlasPackage.version} (land-110m.json, TopoJSON), decoded with topojson-client.`,
  "# Regenerate: see assets/map/README.md (node assets/map/convert-world-atlas.mjs).",
  "# Format: 'ring N' then N lines 'lon lat' in degrees (WGS84), outer rings and holes alike.",
  `# ${rings.length} rings, ${pointCount} points.`,
];
for (const r of rings) {
  out.push(`ring ${r.length}`);
  out.push(...r);
}
process.stdout.write(out.join("\n") + "\n");
