//! The dashboard's charts. Each plot is static (no pan or zoom, so the window scrolls over it) and carries
//! an accessible name with its figures, so screen readers and tests read what the bars show.

use egui::{Align2, Color32, Response};
use egui_plot::{Bar, BarChart, GridInput, GridMark, HLine, Legend, Plot, PlotPoint, Text};

/// One bar of a category chart.
pub struct CategoryBar {
    /// Its name under the axis.
    pub name: String,
    /// Its height.
    pub value: f64,
    /// Its colour.
    pub color: Color32,
    /// The figure written on top of it.
    pub caption: String,
}

/// One label's layer of the stacked per-document chart.
pub struct Stack {
    /// The label.
    pub label: String,
    /// Its colour.
    pub color: Color32,
    /// Its count in each document, in document order.
    pub counts: Vec<f64>,
}

/// A plot that stays put: the dashboard is for reading, and a plot that grabs the mouse wheel would stop
/// the window from scrolling.
fn still_plot(id: &str, height: f32) -> Plot<'static> {
    Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .y_axis_min_width(32.0)
        .y_grid_spacer(y_marks)
        .y_axis_formatter(|mark, _| {
            // As many decimals as the step needs: the default would print 0.5 as "0".
            let decimals = if mark.step_size >= 1.0 { 0 } else { (-mark.step_size.log10()).ceil() as usize };
            format!("{:.*}", decimals, mark.value)
        })
}

/// About four labelled lines on the value axis, at 1, 2 or 5 times a power of ten. egui_plot's default
/// spacer steps by powers of ten only, which on a short plot of values up to ~120 labels nothing but 0.
fn y_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let span = (hi - lo).abs();
    if !span.is_finite() || span <= 0.0 {
        return Vec::new();
    }
    let rough = span / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= rough).unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| GridMark { value: k as f64 * step, step_size: step }).collect()
}

/// Gives the plot's area an accessible name (plots have none of their own).
fn name_plot(response: &Response, name: String) {
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
}

/// Bars for named categories (labels, annotators, agreement per label), each with its figure on top.
pub fn category_chart(
    ui: &mut egui::Ui,
    id: &str,
    accessible: String,
    bars: &[CategoryBar],
    y_range: Option<(f64, f64)>,
) {
    let names: Vec<String> = bars.iter().map(|b| b.name.clone()).collect();
    let count = bars.len();
    let mut plot = still_plot(id, 170.0)
        .x_grid_spacer(move |_| (0..count).map(|i| GridMark { value: i as f64, step_size: 1.0 }).collect())
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            let exact = (mark.value - i).abs() < 1e-6 && i >= 0.0;
            names.get(i as usize).filter(|_| exact).cloned().unwrap_or_default()
        })
        .include_x(-0.6)
        .include_x(count as f64 - 0.4)
        .include_y(0.0);
    if let Some((lo, hi)) = y_range {
        plot = plot.include_y(lo).include_y(hi);
    }
    // Headroom for the figures written on top of the bars.
    let top = bars.iter().map(|b| b.value).fold(y_range.map_or(0.0, |r| r.1), f64::max);
    plot = plot.include_y(top * 1.15);
    let chart_bars: Vec<Bar> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| Bar::new(i as f64, b.value).fill(b.color).width(0.6).name(&b.name))
        .collect();
    let captions: Vec<(f64, f64, String)> =
        bars.iter().enumerate().map(|(i, b)| (i as f64, b.value.max(0.0), b.caption.clone())).collect();
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(BarChart::new(id.to_string(), chart_bars));
        for (x, y, caption) in captions {
            let text = Text::new(format!("{id} {x}"), PlotPoint::new(x, y), caption).anchor(Align2::CENTER_BOTTOM);
            plot_ui.text(text);
        }
    });
    name_plot(&response.response, accessible);
}

/// Stacked bars, one column per document, one layer per label; hovering names the document.
pub fn stacked_chart(ui: &mut egui::Ui, id: &str, accessible: String, titles: &[String], stacks: &[Stack]) {
    let mut charts: Vec<BarChart> = Vec::new();
    for stack in stacks {
        let bars: Vec<Bar> = stack
            .counts
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                Bar::new(i as f64 + 1.0, n).width(0.8).fill(stack.color).name(titles.get(i).map_or("", String::as_str))
            })
            .collect();
        let label = stack.label.clone();
        let chart = BarChart::new(stack.label.clone(), bars)
            .color(stack.color)
            .element_formatter(Box::new(move |bar, _| format!("{}\n{label}: {}", bar.name, bar.value)));
        let below: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&below);
        charts.push(chart);
    }
    let response = still_plot(id, 200.0)
        .legend(Legend::default())
        .include_y(0.0)
        .x_axis_label("document")
        .show(ui, |plot_ui| charts.into_iter().for_each(|c| plot_ui.bar_chart(c)));
    name_plot(&response.response, accessible);
}

/// One bar per document (spans per 1,000 words) with the mean as a line.
pub fn per_document_chart(
    ui: &mut egui::Ui,
    id: &str,
    accessible: String,
    titles: &[String],
    values: &[Option<f64>],
    color: Color32,
) {
    let bars: Vec<Bar> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|v| Bar::new(i as f64 + 1.0, v).width(0.8).fill(color).name(titles.get(i).map_or("", String::as_str)))
        })
        .collect();
    let defined: Vec<f64> = values.iter().flatten().copied().collect();
    let mean = (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64);
    let response = still_plot(id, 170.0).include_y(0.0).x_axis_label("document").show(ui, |plot_ui| {
        let chart = BarChart::new(id.to_string(), bars)
            .element_formatter(Box::new(|bar, _| format!("{}\n{:.1} spans per 1,000 words", bar.name, bar.value)));
        plot_ui.bar_chart(chart);
        if let Some(mean) = mean {
            plot_ui.hline(HLine::new(format!("mean {mean:.1}"), mean).color(Color32::GRAY));
        }
    });
    name_plot(&response.response, accessible);
}
