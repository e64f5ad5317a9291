import { defineBatonBuild } from '../../tsup.base';

// keepNames wraps every closure the engine makes per step in a naming call
// (about a tenth of a step's CPU). Nothing is minified, so classes keep the
// names they are declared with as long as none collides in the bundle: the
// bundle has no renamed class (check `grep -E "class [A-Za-z]+[0-9] |var [A-Z][A-Za-z]+[0-9] = class" dist/*.js`).
export default defineBatonBuild({
  entry: { index: 'src/index.ts', internal: 'src/_internal/index.ts' },
  extra: { keepNames: false },
});
