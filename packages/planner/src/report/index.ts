export { CHART_NAMES, cumulativeCashChartSvg, funnelChartSvg, funnelSeries, isChartName, monthlyCostChartSvg, monthlyCostSeries, renderChart, sensitivityTornadoSvg, seriesLabel, unitEconomicsChartSvg, unitEconomicsSeries } from "./charts";
export type { ChartName, ChartSize, CostSeries } from "./charts";
export { CHART_TITLES, renderPlanHtml } from "./html";
export type { HtmlReportOptions } from "./html";
export { renderPlanMarkdown } from "./markdown";
export type { MarkdownReportOptions } from "./markdown";
export { headlines } from "./headlines";
export type { Headline } from "./headlines";
