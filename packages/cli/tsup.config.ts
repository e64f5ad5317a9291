import { defineBatonBuild } from '../../tsup.base';

export default defineBatonBuild({
  entry: { index: 'src/index.ts', bin: 'src/bin.ts' },
});
