/** Shapes of report results that cross the process boundary (JSON). */
export interface ProgressFigures {
  totalComponents: number;
  completedComponents: number;
  completionPercent: number;
  rocWeightedPercent: number;
}

export interface ReportMetaJson {
  report: string;
  project: { code: string; name: string };
  generatedAt: string;
  dataAsOf: string | null;
}

export interface ProgressSummaryJson extends ReportMetaJson {
  asOf: string;
  summary: ProgressFigures;
  areaBreakdown: Array<{ area: string } & ProgressFigures>;
  systemBreakdown: Array<{ system: string } & ProgressFigures>;
  testPackageBreakdown: Array<{ testPackage: string } & ProgressFigures>;
}
