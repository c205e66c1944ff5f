"""Leaf library for places and maps: gazetteer of French communes, distances, folium rendering.

It imports neither `kb` nor `flask`: callers hand it plain dataclasses (`MapPoint`) and get back
plain dataclasses (`Commune`) or HTML. Import the submodules (`maps.gazetteer`, `maps.geo`,
`maps.render`) directly; this package stays empty so that a gazetteer lookup never loads folium.
"""
