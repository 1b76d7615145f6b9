from alliance87.charts import bar_chart, line_chart, stacked_bar_chart


def test_bar_chart_escapes_labels_and_describes_every_value():
    svg = bar_chart([("<b>Fiji</b>", 40), ("Ghana", 80)], title="Completeness", unit="%")

    assert "<b>" not in svg
    assert "&lt;b&gt;Fiji&lt;/b&gt;: 40%; Ghana: 80%" in svg
    assert 'role="img"' in svg


def test_stacked_bar_chart_prints_each_category_total():
    svg = stacked_bar_chart(["2024"], {"Committed": [30], "Paid": [20]}, title="Funding")

    assert ">50<" in svg
    assert "2024: Committed 30, Paid 20" in svg


def test_line_chart_leaves_a_gap_where_a_value_is_missing():
    svg = line_chart(["2022", "2023", "2024"], {"Fiji": [10, None, 30]}, title="Trend", target=50)

    assert "<polyline" not in svg  # no two consecutive points to join
    assert svg.count("<circle") == 2
    assert "Target 50" in svg
