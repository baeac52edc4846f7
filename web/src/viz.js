// The pictures' libraries, exposed as window.KGViz: Cytoscape.js (network), d3-geo + topojson-client with
// Natural Earth country outlines from world-atlas (offline base map).
import cytoscape from "cytoscape";
import { geoNaturalEarth1, geoPath, geoGraticule10 } from "d3-geo";
import { feature } from "topojson-client";
import countries110m from "world-atlas/countries-110m.json";

export { cytoscape, geoNaturalEarth1, geoPath, geoGraticule10 };
export const countries = () => feature(countries110m, countries110m.objects.countries);
