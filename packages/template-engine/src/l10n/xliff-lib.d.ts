/** The parts of locize's `xliff` package this package uses (it ships no types). */
declare module 'xliff/js2xliff' {
  export default function js2xliff(js: unknown, options?: { indent?: number | string }): Promise<string>;
}
declare module 'xliff/xliff2js' {
  export default function xliff2js(xml: string): Promise<unknown>;
}
