/** The strictest settings a TypeScript host is likely to use, with roster's declarations checked too (no skipLibCheck). */
export function strictTsconfig(resolution: 'nodenext' | 'bundler', file: string) {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: resolution === 'nodenext' ? 'NodeNext' : 'ESNext',
      moduleResolution: resolution === 'nodenext' ? 'NodeNext' : 'Bundler',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noPropertyAccessFromIndexSignature: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
    files: [file],
  }
}
