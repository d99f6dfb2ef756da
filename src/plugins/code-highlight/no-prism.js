// Stands in for @docusaurus/theme-classic's `prism-include-languages` client module in the browser
// bundle (see index.ts): code is highlighted when the site is built, so no page needs Prism.
export {};
