/** What `directory-bridge-connector adopt DIR --json` prints: the connector writes it, the editor reads it. */
export interface AdoptReport {
  config: string;
  connection?: string;
  thumbprint: string;
  /** Settings carried over as they are, or translated (with how). */
  carried: Array<{ key: string; note?: string }>;
  /** Settings not carried over, each with what to do. */
  notCarried: Array<{ key: string; action: string }>;
  backup?: string;
}

/** The JSON form adds the report as the CLI prints it. */
export type AdoptReportJson = AdoptReport & { text: string };
