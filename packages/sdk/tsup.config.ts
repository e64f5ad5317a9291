import { defineBatonBuild } from '../../tsup.base';

export default defineBatonBuild({
  entry: {
    index: 'src/index.ts',
    'host/index': 'src/host/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
});
