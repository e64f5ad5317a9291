import { defineBatonBuild } from '../../tsup.base';

export default defineBatonBuild({ extra: { keepNames: false } });
